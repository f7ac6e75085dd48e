import type { DispatchLog } from './dispatch-log.ts';
import type { Outbox } from './outbox.ts';

/** Events deleted per write (each chunk is one group-commit write; REST writes interleave between chunks). */
export const PRUNE_CHUNK_ROWS = 2_000;
const DAY_MS = 86_400_000;

/**
 * Deletes delivered events (and their attempts) older than `retentionDays`, every `intervalMs`, in chunks.
 * Pending and dead events are never pruned.
 */
export class DeliveredPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  private readonly outbox: Outbox;
  private readonly retentionMs: number;
  private readonly intervalMs: number;
  private readonly log: DispatchLog;

  constructor(outbox: Outbox, options: { retentionDays: number; intervalMs: number }, log: DispatchLog) {
    this.outbox = outbox;
    this.retentionMs = options.retentionDays * DAY_MS;
    this.intervalMs = options.intervalMs;
    this.log = log;
  }

  /** Prunes now and then every interval. */
  start(): void {
    this.tick();
  }

  /** Runs one pruning pass; resolves with the number of events deleted. */
  async pruneNow(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.outbox.pruneDelivered(Date.now() - this.retentionMs, PRUNE_CHUNK_ROWS);
      total += n;
      if (n < PRUNE_CHUNK_ROWS || this.stopped) return total;
    }
  }

  private tick(): void {
    this.running = this.pruneNow();
    void this.running
      .then(
        (n) => {
          if (n > 0) this.log.info({ deleted: n }, 'pruned delivered callback events');
        },
        (error: unknown) => {
          if (!this.stopped) this.log.error({ err: error }, 'pruning delivered callback events failed');
        },
      )
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs);
      });
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => 0);
  }
}
