import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test PostgreSQL (trust auth on 127.0.0.1). */
export const PG_URL = process.env.READWIRE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other test uses. */
export function randomSchema(prefix = 'rw_cluster'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on a short-lived connection. */
export async function pgQuery<T extends pg.QueryResultRow = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Drops a schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await pgQuery(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
}

/** A silent log. */
export const quietLog = { warn: () => undefined, info: () => undefined };
