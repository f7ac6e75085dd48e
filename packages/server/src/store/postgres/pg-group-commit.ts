import type { InsertClaims } from '../../dispatch/outbox.ts';
import type { PgPool } from './pg-pool.ts';
import type { CarriedSettle } from './pg-effects.ts';
import { runWriteBatch, type BatchWrite } from './pg-write-batch.ts';

/**
 * How long a batch of several writes waits for a lock before it gives up and its writes run alone: a cycle of waits
 * involving a batch ends after this instead of PostgreSQL's `deadlock_timeout` (1 s), and always with the batch as the
 * loser, so writes running alone (which lock in the global order) never see a deadlock.
 */
export const BATCH_LOCK_TIMEOUT_MS = 50;

/**
 * Group commit: concurrent writes of this node share transactions. At most `maxBatches` transactions run at once,
 * and one beyond the first only when at least `minShared` writes wait (a free slot taken by every write that arrives
 * would leave each to commit alone); writes that arrive while the transactions are busy wait and go together (at most
 * `maxBatchSize`) into the next one. A write arriving at an idle node runs at once in a transaction of its own, so at
 * low load nothing waits; under load one BEGIN/COMMIT (and one WAL flush) serves many writes. No write is
 * acknowledged before the transaction holding it has committed.
 *
 * A batch shares statements where it can (`runWriteBatch`): its read reports are one `read_reports` call, its callback
 * events one `write_events_many` call, its sync-log entries one append.
 *
 * **Locks.** Each write of a batch takes its rows in the global order (`sql/message-sql.ts`); the sync-log entries
 * are appended together after the last write, so the log's head row (lock 5) is still taken last and held only for the
 * commit. A batch holds the locks of its earlier writes while it runs its later ones, so a batch can wait in a cycle
 * where single writes would not. Such a batch runs with a short
 * `lock_timeout` ({@link BATCH_LOCK_TIMEOUT_MS}); a batch that fails for any reason (a lock timeout, a 40001, a write
 * that throws its own error) is rolled back and each of its writes runs again in its own transaction (retried on
 * 40001/40P01 as usual), so a failed write never takes the others with it.
 */
export class PgGroupCommit {
  private readonly pool: PgPool;
  /** Most transactions at once (settable: see `PgWriteHub.setNodes`). */
  maxBatches: number;
  private readonly maxBatchSize: number;
  private readonly minShared: number;
  private readonly queue: BatchWrite[] = [];
  private readonly claims: () => InsertClaims | undefined;
  private carried: Carried | undefined;
  private running = 0;
  /** Transactions committed and writes in them (for tests and metrics). */
  readonly stats = { batches: 0, writes: 0, fallbacks: 0 };

  /** @param claims - This node's dispatcher's insert claims, when it has one (leases offered at insert). */
  constructor(
    pool: PgPool,
    options: { maxBatches: number; maxBatchSize: number; minShared?: number },
    claims: () => InsertClaims | undefined = () => undefined,
  ) {
    this.pool = pool;
    this.claims = claims;
    this.minShared = options.minShared ?? 1;
    this.maxBatches = Math.max(1, options.maxBatches);
    this.maxBatchSize = Math.max(1, options.maxBatchSize);
  }

  /**
   * Carries a delivery batch's settles in the next write transaction, when writes wait for one (it shares their
   * transaction and WAL flush: one transaction fewer). Resolves with `settle_apply`'s rows once that transaction
   * committed; rejects when it failed (the caller settles on its own then). Undefined when no write waits, or a
   * settle is carried already: the caller settles on its own.
   */
  carry(settle: Omit<CarriedSettle, 'rows'>): Promise<CarriedSettle['rows']> | undefined {
    if (this.queue.length === 0 || this.carried) return undefined;
    return new Promise((resolve, reject) => {
      this.carried = { settle: { ...settle, rows: [] }, resolve, reject };
    });
  }

  /** Queues a write; it runs in the next transaction that has room. */
  submit(write: BatchWrite): void {
    this.queue.push(write);
    this.pump();
  }

  private pump(): void {
    while (
      this.running < this.maxBatches &&
      this.queue.length > 0 &&
      (this.running === 0 || this.queue.length >= this.minShared)
    ) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      const carried = this.carried;
      this.carried = undefined;
      this.running++;
      void this.runBatch(batch, carried).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async runBatch(batch: BatchWrite[], carried?: Carried): Promise<void> {
    const settle = carried?.settle;
    try {
      await this.pool.transaction((tx) => runWriteBatch(tx, batch, this.claims(), settle), {
        runs: batch.length === 1 ? undefined : 1,
        lockTimeoutMs: batch.length === 1 ? undefined : BATCH_LOCK_TIMEOUT_MS,
        piggyback: true,
      });
    } catch (error) {
      carried?.reject(error instanceof Error ? error : new Error(String(error)));
      if (batch.length === 1) {
        batch[0]!.failed(error);
        return;
      }
      this.stats.fallbacks++;
      await Promise.all(batch.map((w) => this.runBatch([w])));
      return;
    }
    this.stats.batches++;
    this.stats.writes += batch.length;
    for (const w of batch) w.committed();
    carried?.resolve(settle!.rows);
  }
}

/** A carried settle and its caller's promise. */
interface Carried {
  settle: CarriedSettle;
  resolve(rows: CarriedSettle['rows']): void;
  reject(error: Error): void;
}
