import { resolve } from 'node:path';
import type { Config } from './config-schema.ts';

const sources = new WeakMap<Config, { file?: string; keyFile?: string }>();

/** Records where a configuration came from: a configuration file, or the defaults with a kept key file. */
export function setConfigSource(config: Config, source: { file?: string; keyFile?: string }): void {
  sources.set(config, source);
}

/** Where the secret key of `config.apps[index]` is kept, in words for a log line. */
export function describeKeySource(config: Config, index: number): string {
  const source = sources.get(config);
  if (source?.keyFile !== undefined) return `the key kept in ${resolve(source.keyFile)}`;
  if (source?.file !== undefined) return `apps[${index}].secretKey in the configuration file ${resolve(source.file)}`;
  return `apps[${index}].secretKey in the configuration`;
}
