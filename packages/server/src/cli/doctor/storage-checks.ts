import type { Config } from '../../config/config-schema.ts';
import type { DoctorCheck } from './doctor-check.ts';
import { sqliteCheck } from './sqlite-check.ts';

/**
 * The storage check of each storage kind. A new kind (e.g. a `storage.postgres` block) adds its check here and
 * names itself in {@link storageKind}: connect, prove it can write, compare the schema version.
 */
export const storageChecks: Record<string, DoctorCheck> = {
  sqlite: sqliteCheck,
};

/** Which storage a configuration uses. */
export function storageKind(config: Config): string {
  return 'postgres' in config.storage && config.storage.postgres !== undefined ? 'postgres' : 'sqlite';
}
