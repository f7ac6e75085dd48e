import type pg from 'pg';
import { pgMigrations, type PgMigration } from './migrations/index.ts';

/** Thrown when the database's schema is newer than this node's code (a node not yet upgraded). */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/**
 * Creates the schema if missing and applies pending migrations, holding a session advisory lock on the schema's
 * name meanwhile: nodes starting together apply each migration once (the others wait, then find it applied). Each
 * migration runs in its own transaction together with the row recording it, so a crash leaves it unapplied. A
 * schema carrying a version this code does not know refuses to start: an older node would write rows the newer
 * schema does not expect.
 *
 * @returns how many migrations this call applied.
 */
export async function runPgMigrations(
  client: pg.ClientBase,
  schema: string,
  migrations: PgMigration[] = pgMigrations,
): Promise<number> {
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`readwire-migrate:${schema}`]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
    const applied = new Set(rows.map((r) => r.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new SchemaTooNewError(
        `the PostgreSQL schema "${schema}" is at migration ${newest}, but this readwire knows migrations up to ` +
          `${known} only: upgrade readwire on this node (it refuses to write to a newer schema)`,
      );
    }
    let count = 0;
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path = ${schema}`);
        await client.query(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [
          m.version,
          m.name,
          Date.now(),
        ]);
        await client.query(m.sql);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      count++;
    }
    return count;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`readwire-migrate:${schema}`]);
  }
}
