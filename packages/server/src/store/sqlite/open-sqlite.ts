import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseOpenError, explainOpenFailure } from './explain-open-failure.ts';
import { refuseMissingDatabase } from './refuse-missing-database.ts';
import { runMigrations, SqliteSchemaTooNewError } from './run-migrations.ts';

/** SQLite settings from the config file (`storage.sqlite`). */
export interface SqliteOptions {
  /** Database file; `:memory:` for a throwaway store. */
  path: string;
  /** `FULL` (default): an acknowledged write survives power loss. `NORMAL`: survives a process crash. */
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  /** Extra milliseconds to wait for more writes before a group commit; 0 = commit what two event-loop turns gathered. */
  groupCommitWindowMs?: number;
  /** Create the database even though its folder shows one existed before (see {@link MissingDatabaseError}). */
  allowNewDatabase?: boolean;
}

/** Thrown when another process holds the database (a second server on the same file). */
export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';
}

/**
 * Opens (creating if needed, unless it evidently existed before) the SQLite database in WAL mode with an **exclusive** lock held for the life of the
 * process, and applies migrations. A second server on the same file fails here with a clear message instead of
 * corrupting counts; the OS releases the lock when the process dies, even by `kill -9`. Any other failure to open
 * becomes a {@link DatabaseOpenError} naming the path and the cause (a read-only folder, a missing one, …).
 */
export function openSqlite(options: SqliteOptions): Database.Database {
  if (options.path !== ':memory:' && !options.allowNewDatabase) refuseMissingDatabase(options.path);
  let db: Database.Database | undefined;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    db = new Database(options.path);
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    // Take the exclusive lock now, not at the first request.
    db.exec('BEGIN IMMEDIATE; COMMIT');
    runMigrations(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof SqliteSchemaTooNewError) {
      throw new DatabaseOpenError(`the SQLite database ${options.path}: ${error.message}`, { cause: error });
    }
    if (error instanceof Error && /locked|busy/i.test(error.message)) {
      throw new DatabaseLockedError(
        `the SQLite database ${options.path} is in use by another process (is another readwire server running on it?)`,
        { cause: error },
      );
    }
    throw explainOpenFailure(options.path, error);
  }
}
