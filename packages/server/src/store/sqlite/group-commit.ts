import type { Database } from 'better-sqlite3';

interface PendingOp {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Checks around every batch (see {@link GroupCommitter.guard}). */
export interface CommitGuard {
  /** Before a batch runs: an error refuses all its writes unrun. */
  before(): Error | undefined;
  /** After a batch committed, before its writes are acknowledged: an error rejects them all instead. */
  after(): Error | undefined;
  /** A write failed with `error`: returns the error to reject it with. */
  failed(error: unknown): unknown;
  /** A batch committed at least one write. */
  committed(): void;
}

/** Most writes committed in one transaction. */
const MAX_BATCH = 512;

/**
 * Group commit for a synchronous SQLite connection. Writes that arrive in the event-loop turn of the first one and in
 * the turn after it (or within `windowMs`) run in **one** `BEGIN IMMEDIATE … COMMIT`: a failing write rolls back alone
 * and rejects alone; the others commit. Every promise settles only after the COMMIT (and its fsync under
 * `synchronous=FULL`) returned, so a resolved write is durable. This is what makes FULL durability nearly as fast as
 * NORMAL: one fsync serves the whole batch.
 *
 * Why two turns: a commit has a fixed cost (the WAL frames of the pages it touched, one `pwrite` each, then the
 * fsync), and at full load one turn gathered about 34 writes per commit; waiting for the next turn's poll phase
 * gathers about 50 and commits a third less often. On the callback bench: server CPU per callback lower in 10 of 15
 * interleaved pairs, about 4% on average, and the p50 from report to callback about 0.3 ms higher. When the server
 * is idle the next turn comes at once (a pending `setImmediate` keeps the poll phase from blocking), so a lone write
 * waits microseconds.
 *
 * Write functions must be synchronous and do no I/O but SQL on this connection. A batch first runs without savepoints;
 * when a write throws, it is rolled back whole and run again with one savepoint per write, so a write function may run
 * twice and must depend only on the database (ids it allocated in a rolled-back run become gaps).
 */
export class GroupCommitter {
  private queue: PendingOp[] = [];
  private scheduled = false;
  private readonly runBatch: (ops: PendingOp[]) => { ok: boolean; value: unknown }[];
  private readonly listeners: (() => void)[] = [];
  private readonly beginListeners: (() => void)[] = [];

  private readonly db: Database;
  private readonly windowMs: number;
  /** Optional checks around every batch: the store's storage health. */
  guard: CommitGuard | undefined;

  constructor(db: Database, windowMs = 0) {
    this.db = db;
    this.windowMs = windowMs;
    const runOne = db.transaction((fn: () => unknown) => fn());
    // First without savepoints (about 2 µs per write); if any write throws, the whole transaction rolls back and the
    // batch runs again with a savepoint per write, so the failing one rolls back alone.
    const optimistic = db.transaction((ops: PendingOp[]) => ops.map((op) => ({ ok: true, value: op.fn() })));
    const careful = db.transaction((ops: PendingOp[]) =>
      ops.map((op) => {
        try {
          return { ok: true, value: runOne(op.fn) };
        } catch (error) {
          return { ok: false, value: error };
        }
      }),
    );
    this.runBatch = (ops) => {
      try {
        this.began();
        return optimistic.immediate(ops);
      } catch {
        this.began();
        return careful.immediate(ops);
      }
    };
  }

  /** Queues a write; resolves with its result once committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        if (this.windowMs > 0) setTimeout(this.flushNow, this.windowMs);
        else setImmediate(this.nextTurn);
      }
    });
  }

  /** The check phase of the turn after the first write's: writes that its poll phase brought ride along. */
  private readonly nextTurn = (): void => {
    setImmediate(this.flushNow);
  };

  private readonly flushNow = (): void => {
    this.flush();
  };

  /** Calls `listener` after every commit (e.g. to wake the dispatcher). */
  onCommit(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Calls `listener` before every run of a batch's writes (a second run follows a rollback of the first). */
  onBegin(listener: () => void): void {
    this.beginListeners.push(listener);
  }

  private began(): void {
    for (const l of this.beginListeners) l();
  }

  /** Commits everything queued now (also used on close). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const refused = this.guard?.before();
      if (refused) {
        for (const op of batch) op.reject(refused);
        continue;
      }
      let results: { ok: boolean; value: unknown }[];
      try {
        results = this.runBatch(batch);
      } catch (error) {
        const e = this.guard ? this.guard.failed(error) : error;
        for (const op of batch) op.reject(e);
        continue;
      }
      const lost = this.guard?.after();
      if (lost) {
        for (const op of batch) op.reject(lost);
        continue;
      }
      let committed = 0;
      batch.forEach((op, i) => {
        const r = results[i]!;
        if (r.ok) {
          committed++;
          op.resolve(r.value);
        } else op.reject(this.guard ? this.guard.failed(r.value) : r.value);
      });
      if (committed > 0) this.guard?.committed();
      for (const l of this.listeners) l();
    }
  }

  /** Number of writes waiting for the next commit. */
  get pending(): number {
    return this.queue.length;
  }

  /** Whether `db` is the connection this committer writes to. */
  owns(db: Database): boolean {
    return db === this.db;
  }
}
