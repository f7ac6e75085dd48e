import { statSync, type Stats } from 'node:fs';

/** Device and inode: which file a path names. */
type Identity = `${number}:${number}`;

const identityOf = (s: Stats | undefined): Identity | undefined => (s ? `${s.dev}:${s.ino}` : undefined);
const statOf = (path: string) => statSync(path, { throwIfNoEntry: false });

/**
 * Notices when the database file this process has open is no longer the file at its path — deleted (`rm`), replaced
 * (a restore copied over it, a `mv`) — by comparing device and inode of the path, and of its `-wal` file, with those
 * seen at open. The process keeps writing to the unlinked file, so every write it acknowledged after that would be
 * lost at the next start; the store stops acknowledging writes instead. A check costs two `stat` calls.
 */
export class DatabaseFileWatch {
  private readonly db: Identity | undefined;
  private wal: Identity | undefined;
  private readonly path: string;
  private readonly walPath: string;

  /** Records the identities of `path` and `path-wal` now (the WAL file's when it first appears, if later). */
  constructor(path: string) {
    this.path = path;
    this.walPath = `${path}-wal`;
    this.db = identityOf(statOf(path));
    this.wal = identityOf(statOf(this.walPath));
  }

  /** Why the open database is no longer the file at its path, or undefined when it still is. */
  problem(): string | undefined {
    try {
      const db = identityOf(statOf(this.path));
      if (db === undefined) return `the database file ${this.path} was deleted while the server had it open`;
      if (db !== this.db)
        return `the database file ${this.path} was replaced by another file while the server had it open`;
      const wal = identityOf(statOf(this.walPath));
      if (this.wal === undefined) this.wal = wal;
      else if (wal === undefined) return `the write-ahead log ${this.walPath} was deleted while the server had it open`;
      else if (wal !== this.wal) return `the write-ahead log ${this.walPath} was replaced while the server had it open`;
      return undefined;
    } catch (error) {
      return `the database file ${this.path} can no longer be checked: ${(error as Error).message}`;
    }
  }
}
