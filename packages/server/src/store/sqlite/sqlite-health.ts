import { ImError } from '../../errors/im-error.ts';
import type { StoreHealth } from '../store-health.ts';
import { DatabaseFileWatch } from './database-file-watch.ts';
import type { CommitGuard, GroupCommitter } from './group-commit.ts';

/** How often the database file is checked while the server is idle. */
export const FILE_CHECK_INTERVAL_MS = 2_000;
/** Least time between two checks from the commit path (at full load about 1 in 10 commits checks). */
export const COMMIT_CHECK_MIN_MS = 20;

const isDiskFull = (error: unknown) =>
  (error as { code?: unknown } | undefined)?.code === 'SQLITE_FULL' || /disk is full/i.test(String(error));

/**
 * The SQLite store's health: the database file still the one at its path (see {@link DatabaseFileWatch}), checked
 * every {@link FILE_CHECK_INTERVAL_MS} and after a commit (at most every {@link COMMIT_CHECK_MIN_MS}) before its writes
 * are acknowledged; and whether the disk is full. A lost file is final: every later write is refused (91000) until the
 * server restarts. A full disk lasts until a write commits again. Each problem is reported once, when it starts.
 */
export class SqliteHealth implements CommitGuard {
  private lost: ImError | undefined;
  private diskFull: string | undefined;
  private lastCheck = 0;
  private readonly watch: DatabaseFileWatch | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((message: string) => void)[] = [];
  private readonly path: string;

  constructor(path: string, committer: GroupCommitter) {
    this.path = path;
    if (path !== ':memory:' && path !== '') {
      this.watch = new DatabaseFileWatch(path);
      this.timer = setInterval(() => this.check(), FILE_CHECK_INTERVAL_MS).unref();
    }
    committer.guard = this;
  }

  /** The current state (no I/O). */
  health(): StoreHealth {
    if (this.lost) return { ok: false, reason: 'the database file was deleted or replaced' };
    if (this.diskFull) return { ok: false, reason: this.diskFull };
    return { ok: true };
  }

  onProblem(listener: (message: string) => void): void {
    this.listeners.push(listener);
  }

  before(): Error | undefined {
    return this.lost;
  }

  after(): Error | undefined {
    if (this.watch && performance.now() - this.lastCheck >= COMMIT_CHECK_MIN_MS) this.check();
    return this.lost;
  }

  failed(error: unknown): unknown {
    if (!isDiskFull(error)) return error;
    if (this.diskFull === undefined) {
      this.diskFull = 'database or disk is full';
      this.report(
        `database or disk is full: cannot write ${this.path} (free space on its disk); ` +
          'writes answer 91000 until space returns',
      );
    }
    // An ImError: answered 91000 without a log line per request (the line above is logged once).
    return new ImError('INTERNAL', 'internal server error: database or disk is full', { cause: error });
  }

  committed(): void {
    this.diskFull = undefined;
  }

  /** Checks the file now; reports a loss once. */
  check(): void {
    this.lastCheck = performance.now();
    if (this.lost || !this.watch) return;
    const problem = this.watch.problem();
    if (problem === undefined) return;
    this.lost = new ImError('INTERNAL', 'internal server error: the database file was deleted or replaced');
    this.report(
      `${problem}: writes are refused from now on. Put the database back in place (restore it from a backup) and ` +
        'restart the server.',
    );
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private report(message: string): void {
    for (const l of this.listeners) l(message);
  }
}
