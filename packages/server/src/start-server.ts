import type { FastifyInstance } from 'fastify';
import { RateLimiter } from './auth/rate-limiter.ts';
import { UserSigVerifier } from './auth/usersig-cache.ts';
import type { Config } from './config/config-schema.ts';
import { AppRegistry } from './core/app-registry.ts';
import { createServices, type Services } from './core/services.ts';
import { Metrics } from './metrics/metrics.ts';
import { coreCommands, createCommandTable } from './rest/command-table.ts';
import { createRestApp, type LogStream } from './rest/create-rest-app.ts';
import type { ServerModule } from './server-module.ts';
import { serverModules } from './server-modules.ts';
import type { ServerStore } from './store/server-store.ts';
import { SqliteStore } from './store/sqlite/sqlite-store.ts';

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
 * Starts a server from a validated configuration: opens the store (refusing a database another process holds),
 * imports each app's admin account, starts the modules and listens.
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
  const store: ServerStore = new SqliteStore(config.storage.sqlite);
  let ready = false;
  try {
    const apps = new AppRegistry(config.apps);
    for (const app of apps.all()) await store.importAccounts(app.sdkAppId, [{ userId: app.admin }]);
    const services = createServices(store, apps);
    const metrics = new Metrics();
    const base = { config, services, store, metrics };
    const table = createCommandTable([...coreCommands, ...modules.flatMap((m) => m.commands?.(base) ?? [])]);
    const deps = { services, table, verifier: new UserSigVerifier(), limiter: new RateLimiter() };
    const http = createRestApp(config, deps, metrics, () => ready, options.logStream);
    const ctx = { ...base, http, log: http.log };
    const started: ServerModule[] = [];
    for (const m of modules) {
      await m.start?.(ctx);
      started.push(m);
    }
    await http.listen({ host: config.host, port: config.port });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    ready = true;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      port,
      config,
      services,
      store,
      metrics,
      http,
      close() {
        closing ??= (async () => {
          ready = false;
          await http.close();
          for (const m of started.reverse()) await m.stop?.();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
