import type { Config } from '../config/config-schema.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import type { ServerStore } from './server-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

/**
 * Opens the configured store: PostgreSQL when `storage.postgres` is set (connects and applies migrations; a failure
 * names host, port, database and the cause), else the SQLite file of `storage.sqlite`.
 */
export async function openStore(storage: Config['storage']): Promise<ServerStore> {
  if (storage.postgres) return PostgresStore.open(storage.postgres);
  return new SqliteStore(storage.sqlite);
}

/** How the banner names the store: `SQLite ./data/readwire.db` or `PostgreSQL 127.0.0.1:5432/test, schema readwire`. */
export function describeStorage(storage: Config['storage'], store: ServerStore): string {
  if (store instanceof PostgresStore)
    return `${store.pool.target.replace(/^PostgreSQL at /, 'PostgreSQL ')}, schema ${store.pool.schema}`;
  return `SQLite ${storage.sqlite.path}`;
}
