import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';

/** Pages copied per step: about 1 MB at the default 4 KiB page size, about a millisecond of the event loop. */
const PAGES_PER_STEP = 256;

/**
 * Copies the live database `db` to a new file `file` with SQLite's online backup API, in steps of
 * {@link PAGES_PER_STEP} pages that each hold the connection only briefly, so requests keep being served between
 * them. The copy is consistent as of the moment the last step ran: the writes the server commits meanwhile go
 * through this same connection, and SQLite applies them to the pages already copied. Locks: none beyond the server's
 * own exclusive lock (each step reads inside it); the destination is written under a `.partial` name, switched to a
 * single self-contained file (`journal_mode = DELETE`) and renamed to `file` only when complete, so a file at `file`
 * is always a whole backup.
 */
export async function onlineBackup(db: Database.Database, file: string): Promise<void> {
  const partial = `${file}.partial`;
  try {
    await db.backup(partial, { progress: () => PAGES_PER_STEP });
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
