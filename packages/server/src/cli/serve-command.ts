import { genUserSig } from '@readwire/sdk';
import type { Config } from '../config/config-schema.ts';
import { defaultConfig } from '../config/default-config.ts';
import { loadConfigFile } from '../config/load-config-file.ts';
import { startServer, type RunningServer } from '../start-server.ts';
import { describeStorage } from '../store/open-store.ts';

/** Options of `readwire serve`. */
export interface ServeOptions {
  config?: string | undefined;
  data?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
}

/** `readwire serve`: runs the server until SIGTERM/SIGINT, then shuts down gracefully. */
export async function serveCommand(opts: ServeOptions): Promise<void> {
  const usingDefaults = opts.config === undefined;
  const config: Config = usingDefaults ? defaultConfig(opts.data ?? './data') : loadConfigFile(opts.config!);
  if (opts.port !== undefined) {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port ${opts.port} is not a port number`);
    config.port = port;
  }
  if (opts.host !== undefined) config.host = opts.host;
  // Signals are handled from the start: one arriving while the server starts (or prints its banner) still shuts it
  // down cleanly instead of killing the process mid-way.
  const started: { server?: RunningServer } = {};
  let stopSignal: string | undefined;
  const stop = (signal: string) => {
    if (stopSignal !== undefined) return;
    stopSignal = signal;
    if (started.server) shutDown(started.server, signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const server = await startServer(config);
  started.server = server;
  if (stopSignal !== undefined) {
    shutDown(server, stopSignal);
    return;
  }
  if (config.allowPrivateCallbackUrls) {
    server.http.log.warn('allowPrivateCallbackUrls is on: callbacks may target private and loopback addresses');
  }
  const app = config.apps[0]!;
  const sig = await genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, userId: app.admin });
  const q = `sdkappid=${app.sdkAppId}&identifier=${app.admin}&usersig=${sig}&random=1&contenttype=json`;
  process.stdout.write(
    [
      `readwire listening on ${server.url} (${describeStorage(config.storage, server.store)})`,
      `SDKAppID:   ${app.sdkAppId}`,
      `admin:      ${app.admin}`,
      `UserSig:    ${sig}`,
      usingDefaults ? `secret key: kept in ${opts.data ?? './data'}/secret-key` : '',
      'try:',
      `  curl -s -X POST '${server.url}/v4/im_open_login_svc/account_import?${q}' -d '{"UserID":"alice"}'`,
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );
}

/** Closes the server, then exits: 0 when everything was flushed, 1 when closing failed. */
function shutDown(server: RunningServer, signal: string): void {
  server.http.log.info({ signal }, 'shutting down');
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      server.http.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}
