import type { Config } from '../config/config-schema.ts';
import { defaultConfig } from '../config/default-config.ts';
import { loadConfigFile } from '../config/load-config-file.ts';
import type { LogStream } from '../rest/create-rest-app.ts';
import type { RunningServer } from '../start-server.ts';
import { defineCommand, UsageError } from './cli-command.ts';
import { prettyLogStream } from './pretty-log-stream.ts';
import { bannerText, startedFields } from './serve-banner.ts';
import { packageVersion } from './package-version.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `--port N`, checked. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port ${value} is not a port number (0-65535)`);
  return port;
}

/** `--log-format`: `pretty` on a terminal and `json` otherwise, unless asked. */
function logFormat(value: string | undefined): 'pretty' | 'json' {
  if (value === undefined || value === 'auto') return process.stdout.isTTY ? 'pretty' : 'json';
  if (value === 'pretty' || value === 'json') return value;
  throw new UsageError(`--log-format must be auto, pretty or json, not ${value}`);
}

/** `readwire serve`: runs the server until SIGTERM/SIGINT, then shuts down gracefully. */
export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Run the server (REST API, callbacks, client gateway).',
  usage: '[--config FILE | --data DIR] [--port N] [--host HOST] [--log-format auto|pretty|json]',
  description:
    'Runs Readwire until SIGTERM or SIGINT, then finishes what is in flight and exits 0. Without --config it ' +
    'uses development defaults: SQLite in DIR/readwire.db, port 5080, app 1400000000 with admin administrator, ' +
    'a secret key generated on first start and kept in DIR/secret-key, and private callback URLs allowed. On a ' +
    'terminal it prints a banner and human-readable logs; otherwise it logs JSON lines (one per event) to stdout.',
  options: {
    config: { type: 'string', value: 'FILE', description: 'JSON configuration file (validated at start).' },
    data: {
      type: 'string',
      value: 'DIR',
      description: 'Without --config: the folder of the database and the secret key (default ./data).',
    },
    port: {
      type: 'string',
      value: 'N',
      description: 'Port to listen on, overriding the configuration (0: any free port).',
    },
    host: {
      type: 'string',
      value: 'HOST',
      description: 'Address to listen on, overriding the configuration (e.g. 0.0.0.0).',
    },
    'log-format': {
      type: 'string',
      value: 'FORMAT',
      description: 'auto (default: pretty on a terminal, json otherwise), pretty or json.',
    },
    'log-level': { type: 'string', value: 'LEVEL', description: `Overrides logLevel: ${LOG_LEVELS.join(', ')}.` },
    'new-database': {
      type: 'boolean',
      description: 'Start with an empty SQLite database although the data folder shows that one existed.',
    },
  },
  examples: [
    'readwire serve                                  # development defaults in ./data',
    'readwire serve --data /tmp/rw --port 0          # a throwaway server on any free port',
    'readwire serve --config readwire.json --host 0.0.0.0 --log-format json',
  ],
  async action(o) {
    if (o.config !== undefined && o.data !== undefined) throw new UsageError('--data applies only without --config');
    const format = logFormat(o['log-format']);
    const level = o['log-level'];
    if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
      throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
    }
    const port = o.port === undefined ? undefined : parsePort(o.port);
    const dataDir = o.config === undefined ? (o.data ?? './data') : undefined;
    const config: Config = o.config === undefined ? defaultConfig(dataDir) : loadConfigFile(o.config);
    if (port !== undefined) config.port = port;
    if (o.host !== undefined) config.host = o.host;
    if (level !== undefined) config.logLevel = level as Config['logLevel'];
    if (o['new-database']) config.storage.sqlite.allowNewDatabase = true;
    await serve(config, format, { configFile: o.config, dataDir });
  },
});

async function serve(config: Config, format: 'pretty' | 'json', source: { configFile?: string; dataDir?: string }) {
  const logStream: LogStream =
    format === 'pretty'
      ? prettyLogStream(process.stdout)
      : {
          // The started line below says where the server listens; the listener's own lines would repeat it.
          write: (line) => void (line.includes('"msg":"Server listening at ') || process.stdout.write(line)),
        };
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
  // Loaded here, not at the top: `readwire --help` and the other commands need none of the server's modules.
  const { startServer } = await import('../start-server.ts');
  const server = await startServer(config, undefined, { logStream }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `port ${config.port} on ${config.host} is already in use (another readwire server or another program listens ` +
        'there): choose another port with --port N (or "port" in the configuration file)',
      { cause: error },
    );
  });
  started.server = server;
  if (stopSignal !== undefined) {
    shutDown(server, stopSignal);
    return;
  }
  if (config.allowPrivateCallbackUrls) {
    server.http.log.warn('allowPrivateCallbackUrls is on: callbacks may target private and loopback addresses');
  }
  const version = packageVersion();
  if (format === 'pretty') process.stdout.write(await bannerText(server.url, version, config, source));
  else server.http.log.info(startedFields(server.url, version, config, source), 'readwire started');
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
