import type { FastifyInstance } from 'fastify';
import type { ClusterBus } from './cluster/cluster-bus.ts';
import type { Config } from './config/config-schema.ts';
import type { Services } from './core/services.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { CommandDef } from './rest/command.ts';
import type { ServerStore } from './store/server-store.ts';

/** What a server module gets when the server starts. */
export interface ModuleContext {
  config: Config;
  services: Services;
  store: ServerStore;
  metrics: Metrics;
  /** How this node and the other nodes of the deployment wake each other (one node: a bus that does nothing). */
  cluster: ClusterBus;
  http: FastifyInstance;
  log: FastifyInstance['log'];
}

/**
 * A part of the server beside the REST core (the callback dispatcher, the client gateway): it may add REST
 * commands, start with the server and stop with it. Modules start in order and stop in reverse order, after the
 * HTTP listener stopped taking requests and before the store closes.
 */
export interface ServerModule {
  name: string;
  /** REST commands this module adds (e.g. `readwire_callback/get_config`). */
  commands?(ctx: Omit<ModuleContext, 'http' | 'log'>): CommandDef[];
  /** Called before the HTTP listener opens. */
  start?(ctx: ModuleContext): Promise<void>;
  /** Called on shutdown; must finish or abandon in-flight work without losing committed data. */
  stop?(): Promise<void>;
}
