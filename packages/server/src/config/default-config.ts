import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config-schema.ts';
import { setConfigSource } from './key-source.ts';
import { parseConfig } from './parse-config.ts';

/** SDKAppID of the app that `readwire serve` creates when run without a configuration file. */
export const DEFAULT_SDKAPPID = 1400000000;

/**
 * The zero-configuration setup of `npm start`: SQLite under `dataDir`, port 5080, one app 1400000000 with admin
 * `administrator`, and a secret key generated on first start and kept in `dataDir/secret-key` (mode 0600).
 * Private callback URLs are allowed, since this is a development setup. After the first start, a missing database
 * beside the kept key is refused (it was deleted or moved), unless the caller allows a new one.
 */
export function defaultConfig(dataDir = './data'): Config {
  mkdirSync(dataDir, { recursive: true });
  const keyFile = join(dataDir, 'secret-key');
  let secretKey: string;
  const firstStart = !existsSync(keyFile);
  if (!firstStart) {
    secretKey = readFileSync(keyFile, 'utf8').trim();
  } else {
    secretKey = randomBytes(32).toString('hex');
    writeFileSync(keyFile, `${secretKey}\n`, { mode: 0o600 });
  }
  const config = defaultConfigWithKey(dataDir, secretKey, firstStart);
  setConfigSource(config, { keyFile });
  return config;
}

/** The configuration {@link defaultConfig} makes, for a given key, without touching the disk. */
export function defaultConfigWithKey(dataDir: string, secretKey: string, allowNewDatabase = true): Config {
  return parseConfig(
    {
      storage: { sqlite: { path: join(dataDir, 'readwire.db'), allowNewDatabase } },
      allowPrivateCallbackUrls: true,
      apps: [{ sdkAppId: DEFAULT_SDKAPPID, secretKey, admin: 'administrator' }],
    },
    'default configuration',
  );
}
