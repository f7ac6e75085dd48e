import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Thrown at start when the database is missing although its folder shows it existed (it was deleted or moved). */
export class MissingDatabaseError extends Error {
  override readonly name = 'MissingDatabaseError';
}

/**
 * Refuses to create an empty database in place of one that evidently existed: the file is missing but its `-wal` or
 * `-shm` file, or the `secret-key` that `readwire serve` keeps beside it, is there. Starting anyway would answer every
 * account as unknown and every count as zero, silently. The way out is named in the message.
 */
export function refuseMissingDatabase(path: string): void {
  if (existsSync(path)) return;
  const evidence = [`${path}-wal`, `${path}-shm`, join(dirname(path), 'secret-key')].find((f) => existsSync(f));
  if (evidence === undefined) return;
  throw new MissingDatabaseError(
    `refusing to start: the database ${resolve(path)} does not exist, but ${resolve(evidence)} does, so it existed ` +
      'before (deleted or moved?). Put it back (restore it from a backup), or, to start with an empty database on ' +
      'purpose, run again with --new-database (or set storage.sqlite.allowNewDatabase in the configuration file).',
  );
}
