import type { FastifyInstance } from 'fastify';
import { RateLimiter } from './auth/rate-limiter.ts';
import { UserSigVerifier } from './auth/usersig-cache.ts';
import { SingleNodeBus, type ClusterBus } from './cluster/cluster-bus.ts';
import { createClusterBus } from './cluster/create-cluster-bus.ts';
import type { Config } from './config/config-schema.ts';
import { AppRegistry } from './core/app-registry.ts';
import { createServices, type Services } from './core/services.ts';
import { Metrics } from './metrics/metrics.ts';
import { coreCommands, createCommandTable } from './rest/command-table.ts';
import { createRestApp, type LogStream } from './rest/create-rest-app.ts';
import { isLoopbackHost } from './http/is-loopback-host.ts';
import type { ServerModule } from './server-module.ts';
import { serverModules } from './server-modules.ts';
import { PostgresStore } from './store/postgres/postgres-store.ts';
import type { ServerStore } from './store/server-store.ts';
import { openStore } from './store/open-store.ts';

/** A running Readwire server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:5080`. */
  url: string;
  port: number;
  config: Config;
  services: Services;
  store: ServerStore;
  metrics: Metrics;
  http: FastifyInstance;
  /** Stops taking requests, stops the modules, flushes and closes the store. Idempotent. */
  close(): Promise<void>;
}

/** How a server is started beyond its configuration. */
export interface StartOptions {
  /** Where the JSON log lines go (default: stdout), e.g. the CLI's human-readable formatter on a terminal. */
  logStream?: LogStream;
}

/**
 * Starts a server from a validated configuration: opens the store (SQLite, refusing a file another process holds, or
 * PostgreSQL, applying migrations), imports each app's admin account, starts the modules and listens.
 *
 * @example
 * ```ts
 * const server = await startServer(parseConfig({ port: 0, apps: [{ sdkAppId: 1400000001, secretKey }] }));
 * console.log(server.url);
 * await server.close();
 * ```
 */
export async function startServer(
  config: Config,
  modules: ServerModule[] = serverModules(),
  options: StartOptions = {},
): Promise<RunningServer> {
  const store: ServerStore = await openStore(config.storage);
  let ready = false;
  // The HTTP server's logger exists only once the app is built; the bus logs through it from then on.
  let http: FastifyInstance | undefined;
  const cluster = createClusterBus(config, {
    warn: (details, message) => http?.log.warn(details, message),
    info: (details, message) => http?.log.info(details, message),
  });
  try {
    const apps = new AppRegistry(config.apps);
    for (const app of apps.all()) await store.importAccounts(app.sdkAppId, [{ userId: app.admin }]);
    const services = createServices(store, apps);
    const metrics = new Metrics();
    const base = { config, services, store, metrics, cluster };
    const table = createCommandTable([...coreCommands, ...modules.flatMap((m) => m.commands?.(base) ?? [])]);
    const deps = { services, table, verifier: new UserSigVerifier(), limiter: new RateLimiter(() => cluster.nodes()) };
    http = createRestApp(
      config,
      deps,
      metrics,
      () => ready && cluster.healthy(),
      () => store.health(),
      options.logStream,
    );
    const ctx = { ...base, http, log: http.log };
    store.onProblem((message) => http?.log.error({ path: config.storage.sqlite.path }, message));
    await cluster.start();
    if (!(cluster instanceof SingleNodeBus)) wireCommits(store, cluster);
    const started: ServerModule[] = [];
    for (const m of modules) {
      await m.start?.(ctx);
      started.push(m);
    }
    await http.listen({ host: config.host, port: config.port });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    if (config.metrics.token === undefined && !isLoopbackHost(config.host)) {
      http.log.warn(`/metrics is open to anyone who can reach ${config.host}: set metrics.token to protect it`);
    }
    ready = true;
    let closing: Promise<void> | undefined;
    const app = http;
    return {
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      port,
      config,
      services,
      store,
      metrics,
      http: app,
      close() {
        closing ??= (async () => {
          ready = false;
          await app.close();
          for (const m of started.reverse()) await m.stop?.();
          await cluster.stop();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await cluster.stop();
    await store.close();
    throw error;
  }
}

/**
 * Tells the other nodes about this node's commits (coalesced by the bus, after the commit): `sync` after a commit that
 * wrote sync-log entries (gateways elsewhere may have their users connected), `events` after one that wrote callback
 * events no dispatcher leased at insert (another node's dispatcher may claim them). On PostgreSQL each commit also tells
 * the store how many nodes the deployment counts now (its write concurrency follows).
 */
function wireCommits(store: ServerStore, cluster: ClusterBus): void {
  if (store instanceof PostgresStore) {
    store.onLocalCommit((commit) => {
      store.setDeploymentNodes(cluster.nodes());
      if (commit.syncEntries > 0) cluster.publish('sync');
      if (commit.unleasedEvents) cluster.publish('events');
    });
    return;
  }
  let published = 0;
  store.onCommit((counter) => {
    cluster.publish('sync');
    if (counter > published) {
      published = counter;
      cluster.publish('events');
    }
  });
}
