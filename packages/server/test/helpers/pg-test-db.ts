/**
 * PostgreSQL for tests: the server at `READWIRE_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`, the
 * one CI starts), one fresh schema per store, dropped after.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';

/** The test database's URL. */
export const PG_TEST_URL = process.env.READWIRE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name nobody else uses. */
export function freshSchemaName(prefix = 'rw_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops a schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL store on a fresh schema, and its cleanup (close, drop the schema). */
export async function freshPgStore(
  options: { now?: () => number; poolSize?: number; schema?: string } = {},
): Promise<{ store: PostgresStore; schema: string; cleanup(): Promise<void> }> {
  const schema = options.schema ?? freshSchemaName();
  const store = await PostgresStore.open({
    url: PG_TEST_URL,
    schema,
    poolSize: options.poolSize ?? 4,
    now: options.now,
  });
  return {
    store,
    schema,
    async cleanup() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/** Which store the server-level tests run on: `READWIRE_TEST_STORE=postgres` runs them on PostgreSQL. */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.READWIRE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The schema of a test's data directory (the same directory, e.g. across a restart, is the same schema). */
export function schemaForDir(dir: string): string {
  return `rw_t_${createHash('sha1').update(dir).digest('hex').slice(0, 16)}`;
}

/** `storage` of a test server whose data lives in `dir`: a SQLite file there, or its PostgreSQL schema. */
export function storageFor(dir: string): { sqlite: { path: string } } | { postgres: Record<string, unknown> } {
  if (TEST_STORE === 'postgres') return { postgres: { url: PG_TEST_URL, schema: schemaForDir(dir), poolSize: 8 } };
  return { sqlite: { path: join(dir, 'readwire.db') } };
}

/** Drops what `storageFor(dir)` used on PostgreSQL (the directory itself is the caller's). */
export async function releaseStorage(dir: string): Promise<void> {
  if (TEST_STORE === 'postgres') await dropSchema(schemaForDir(dir));
}
