import { ImError } from '../../errors/im-error.ts';
import { PgPool } from './pg-pool.ts';
import type { PostgresOptions } from './postgres-options.ts';
import { runPgMigrations, SchemaTooNewError } from './run-pg-migrations.ts';

/** How to open a PostgreSQL store. */
export interface OpenPostgresOptions extends PostgresOptions {
  /** The outbox's clock (tests set it). */
  now?: (() => number) | undefined;
}

/** How long the first connection may take at start (an address that drops packets would otherwise hang for minutes). */
const CONNECT_TIMEOUT_MS = 10_000;

/** The pool's first connection, or a timeout error (the pool itself queues without a time limit). */
async function connectWithin(pool: PgPool, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const connecting = pool.pool.connect();
  try {
    return await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no connection within ${ms / 1000} s`)), ms);
      }),
    ]);
  } catch (error) {
    connecting.then(
      (c) => c.release(),
      () => {},
    );
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Thrown when a store cannot start: names where it tried to connect and why (never the password). */
export class PostgresStartError extends Error {
  override readonly name = 'PostgresStartError';
}

function causeOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return causeOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message || (typeof code === 'string' ? code : 'unknown error');
}

/**
 * Opens a pool on the configured database, checks that it answers, and applies migrations under the schema's advisory
 * lock. Any failure — a URL that does not parse, a refused connection, an unknown host, wrong credentials, a missing
 * database, a schema newer than this code — becomes a {@link PostgresStartError} naming host, port, database and the
 * cause; the pool is closed.
 */
export async function openPostgres(options: OpenPostgresOptions): Promise<PgPool> {
  let pool: PgPool;
  try {
    pool = new PgPool(options);
  } catch (error) {
    throw new PostgresStartError(`cannot use storage.postgres: ${causeOf(error)}`, { cause: error });
  }
  try {
    const client = await connectWithin(pool, CONNECT_TIMEOUT_MS);
    try {
      await runPgMigrations(client, pool.schema);
    } finally {
      client.release();
    }
    return pool;
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof SchemaTooNewError)
      throw new PostgresStartError(`${pool.target}: ${error.message}`, { cause: error });
    if (error instanceof ImError) throw error;
    throw new PostgresStartError(`cannot start on ${pool.target}: ${causeOf(error)}`, { cause: error });
  }
}
