import { readFileSync } from 'node:fs';
import type { Config } from './config-schema.ts';
import { setConfigSource } from './key-source.ts';
import { ConfigError, parseConfig } from './parse-config.ts';

/** Reads and validates a JSON configuration file; relative storage paths stay relative to the working directory. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`configuration file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const config = parseConfig(json, `configuration file ${path}`);
  setConfigSource(config, { file: path });
  return config;
}
