/**
 * The Readwire server as a library: start it in-process (tests, embedding) or through the `readwire` CLI.
 * @module
 */
export { startServer, type RunningServer, type StartOptions } from './start-server.ts';
export type { LogStream } from './rest/create-rest-app.ts';
export { parseConfig, ConfigError } from './config/parse-config.ts';
export { loadConfigFile } from './config/load-config-file.ts';
export { defaultConfig, DEFAULT_SDKAPPID } from './config/default-config.ts';
export type { Config, ConfigInput, AppConfig, CallbackConfig } from './config/config-schema.ts';
export type { ServerModule, ModuleContext } from './server-module.ts';
export { ErrorCatalog, type ErrorName } from './errors/error-catalog.ts';
export { ImError } from './errors/im-error.ts';
export type { Store } from './store/store.ts';
export { SqliteStore } from './store/sqlite/sqlite-store.ts';
export { PostgresStore } from './store/postgres/postgres-store.ts';
export { PostgresStartError } from './store/postgres/open-postgres.ts';
