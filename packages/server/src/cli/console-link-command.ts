import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config-schema.ts';
import { defaultConfigWithKey } from '../config/default-config.ts';
import { loadConfigFile } from '../config/load-config-file.ts';
import { defineCommand, UsageError } from './cli-command.ts';
import { consoleLink } from './console-link.ts';

function configOf(file: string | undefined, data: string | undefined): Config {
  if (file !== undefined) return loadConfigFile(file);
  const dir = data ?? './data';
  const keyFile = join(dir, 'secret-key');
  if (!existsSync(keyFile)) {
    throw new UsageError(`no secret key in ${keyFile}: start the server once (npm start), or give --config FILE`);
  }
  return defaultConfigWithKey(dir, readFileSync(keyFile, 'utf8').trim());
}

/** `readwire console-link`: prints a login link of the browser console with a short-lived admin UserSig. */
export const consoleLinkCommand = defineCommand({
  name: 'console-link',
  summary: 'Print a login link of the browser console (a short-lived admin UserSig in its fragment).',
  usage: '[--config FILE | --data DIR] [--app N] [--ttl SECONDS] [--url URL]',
  description:
    'Signs an admin UserSig for the app (valid for --ttl seconds) and prints http://HOST:PORT/console#app=…&id=…&sig=…. ' +
    'The credentials are in the URL fragment, which the browser never sends to the server; the console keeps ' +
    'them in the tab’s session storage and removes them from the address bar. Anyone holding the link is the app ' +
    'admin until it expires: share it like a password.',
  options: {
    config: { type: 'string', value: 'FILE', description: "The server's configuration file (URL, apps and keys)." },
    data: {
      type: 'string',
      value: 'DIR',
      description: 'Without --config: the data folder of `npm start` (default ./data), which holds the secret key.',
    },
    app: { type: 'string', value: 'N', description: 'The SDKAppID (default: the first app of the configuration).' },
    ttl: { type: 'string', value: 'SECONDS', description: 'How long the link works (default 3600).' },
    url: { type: 'string', value: 'URL', description: 'Base URL of the server (default: from the configuration).' },
  },
  examples: [
    'readwire console-link                                # the server of `npm start`',
    'readwire console-link --config readwire.json --app 1400000001 --ttl 600',
  ],
  async action(o) {
    if (o.config !== undefined && o.data !== undefined) throw new UsageError('--data applies only without --config');
    const ttl = o.ttl === undefined ? 3600 : Number(o.ttl);
    if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError('--ttl must be a positive number of seconds');
    if (o.app !== undefined && !/^[1-9]\d*$/.test(o.app)) throw new UsageError('--app must be a positive integer');
    const config = configOf(o.config, o.data);
    const app = o.app === undefined ? config.apps[0]! : config.apps.find((a) => a.sdkAppId === Number(o.app));
    if (!app) throw new UsageError(`app ${o.app} is not in the configuration`);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const url = o.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
    process.stdout.write(`${await consoleLink(url, app, ttl)}\n`);
  },
});
