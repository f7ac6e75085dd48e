import type { Config } from '../../config/config-schema.ts';
import type { DoctorCheck } from './doctor-check.ts';
import { postgresCheck } from './postgres-check.ts';
import { sqliteCheck } from './sqlite-check.ts';

/**
 * The storage check of each storage kind (named by {@link storageKind}): connect, prove it can write, compare the
 * schema version.
 */
export const storageChecks: Record<string, DoctorCheck> = {
  sqlite: sqliteCheck,
  postgres: postgresCheck,
};

/** Which storage a configuration uses. */
export function storageKind(config: Config): string {
  return 'postgres' in config.storage && config.storage.postgres !== undefined ? 'postgres' : 'sqlite';
}
