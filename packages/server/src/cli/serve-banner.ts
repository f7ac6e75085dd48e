import { genUserSig } from '@readwire/sdk';
import { resolve } from 'node:path';
import type { Config } from '../config/config-schema.ts';
import { consoleLink } from './console-link.ts';

/** What the banner says about where the configuration came from. */
export interface BannerSource {
  /** The configuration file given with `--config`, if any. */
  configFile?: string | undefined;
  /** With the built-in defaults: the data folder holding the database and the secret key. */
  dataDir?: string | undefined;
}

/** The storage a configuration uses, with its resolved location, e.g. `SQLite /srv/readwire/data/readwire.db`. */
export function describeStorage(config: Config): { kind: string; location: string } {
  const pg = config.storage.postgres;
  if (pg) {
    const url = pg.url ? new URL(pg.url) : undefined;
    const host = url?.hostname || process.env.PGHOST || 'localhost';
    const port = url?.port || process.env.PGPORT || '5432';
    const database = url?.pathname.slice(1) || process.env.PGDATABASE || 'postgres';
    return { kind: 'PostgreSQL', location: `${host}:${port}/${database}, schema ${pg.schema}` };
  }
  return { kind: 'SQLite', location: resolve(config.storage.sqlite.path) };
}

/** The fields of the `readwire started` log line (JSON logs), with every path resolved. */
export function startedFields(url: string, version: string, config: Config, source: BannerSource) {
  const storage = describeStorage(config);
  return {
    url,
    host: config.host,
    version,
    storage: storage.kind,
    database: storage.location,
    configFile: source.configFile === undefined ? null : resolve(source.configFile),
    ...(source.dataDir === undefined ? {} : { secretKeyFile: resolve(source.dataDir, 'secret-key') }),
    apps: config.apps.map((a) => a.sdkAppId),
  };
}

/**
 * The human start-up banner for a terminal: where the server listens, its database and configuration (resolved
 * paths), the first app with a fresh admin UserSig, the console's login link (a one-hour admin UserSig in its
 * fragment), and a `curl` line that imports an account. The JSON start line never carries a link.
 */
export async function bannerText(url: string, version: string, config: Config, source: BannerSource): Promise<string> {
  const app = config.apps[0]!;
  const storage = describeStorage(config);
  const sig = await genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, userId: app.admin });
  const q = `sdkappid=${app.sdkAppId}&identifier=${app.admin}&usersig=${sig}&random=1&contenttype=json`;
  const others = config.apps.length > 1 ? ` (and ${config.apps.length - 1} more app(s) in the configuration)` : '';
  const configLine =
    source.configFile !== undefined
      ? resolve(source.configFile)
      : `built-in defaults; secret key in ${resolve(source.dataDir ?? './data', 'secret-key')}`;
  const callback = app.callback ? [`  callbacks   ${app.callback.url} (${app.callback.commands.join(', ')})`] : [];
  const everywhere =
    config.host === '0.0.0.0' || config.host === '::' ? ` (and every other address of this machine)` : '';
  return [
    `Readwire ${version} listening on ${url}${everywhere}`,
    `  database    ${storage.kind} ${storage.location}`,
    `  config      ${configLine}`,
    `  SDKAppID    ${app.sdkAppId}${others}`,
    `  admin       ${app.admin}`,
    `  UserSig     ${sig}`,
    ...callback,
    ...(config.console.enabled ? [`  console     ${await consoleLink(url, app)}  (login link, valid 1 hour)`] : []),
    'Try it:',
    `  curl -s -X POST '${url}/v4/im_open_login_svc/account_import?${q}' -d '{"UserID":"alice"}'`,
    '',
  ].join('\n');
}
