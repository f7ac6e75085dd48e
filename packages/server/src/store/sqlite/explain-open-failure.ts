import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** Thrown when the database cannot be opened; the message names the file, the cause and what to check. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/** The first reason found on the file system why `path` cannot be used as a writable database, if any. */
function diagnose(path: string): string | undefined {
  const dir = dirname(path);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) return `its folder ${dir} does not exist and could not be created`;
  if (!dirStat.isDirectory()) return `${dir} is not a folder`;
  const fileStat = statSync(path, { throwIfNoEntry: false });
  if (fileStat?.isDirectory()) return `${path} is a folder, not a database file`;
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'is on a read-only file system' : `is not writable by this user (${code})`;
    return `the folder ${dir} ${why}; SQLite needs to create ${basename(path)}-wal beside the database`;
  }
  if (fileStat) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      return `the file is not writable (${(error as NodeJS.ErrnoException).code})`;
    }
  }
  return undefined;
}

/**
 * Turns a failure to open or migrate the database (SQLite's bare `disk I/O error`, `unable to open database file`, a
 * failed `mkdir`) into a message for the operator: the absolute path, the cause found on the file system when there is
 * one, and SQLite's own words.
 */
export function explainOpenFailure(path: string, error: unknown): DatabaseOpenError {
  const absolute = resolve(path);
  const e = error as { code?: string; message?: string };
  const said = `${e.message ?? String(error)}${e.code ? ` (${e.code})` : ''}`;
  const cause = diagnose(absolute);
  return new DatabaseOpenError(`cannot open the SQLite database ${absolute}: ${cause ? `${cause} [${said}]` : said}`, {
    cause: error,
  });
}
