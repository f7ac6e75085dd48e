import type { PlannedEffects } from '../../core/plan-effects.ts';
import type { InsertClaims } from '../../dispatch/outbox.ts';
import { ImError } from '../../errors/im-error.ts';
import type { WrittenEvents } from './pg-effects.ts';
import { PgGroupCommit } from './pg-group-commit.ts';
import type { PgPool, PgTx } from './pg-pool.ts';
import type { SharedStep } from './pg-write-batch.ts';

/** What one local commit wrote besides its own rows (for cross-node wake-ups). */
export interface LocalCommit {
  appId: number;
  /** Callback events written without a lease: some node's claim has to find them. */
  unleasedEvents: boolean;
  /** Callback events leased at insert to this node's dispatcher. */
  leasedEvents: number;
  /** Sync-log entries written: gateways on every node may have clients to push them to. */
  syncEntries: number;
}

/**
 * How the PostgreSQL store runs its calls: each write in one transaction with the effects its plan produces, then the
 * hand-over of events leased at insert and the commit notification; every call tracked, so closing waits for them.
 *
 * **Commit counter.** Listeners hear a number that grows with every commit — this node's or one announced from another
 * node (`external`) — that wrote events a claim has to find. The dispatcher compares it with the counter its last
 * claim saw (the outbox reports the value read before its claims ran); event ids cannot serve, since ids from a
 * sequence do not commit in id order across connections.
 */
export class PgWriteHub {
  /** The group commit every write goes through. */
  readonly group: PgGroupCommit;
  private readonly listeners: ((counter: number) => void)[] = [];
  private readonly localListeners: ((commit: LocalCommit) => void)[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private writes = 0;
  /** See the class description. */
  counter = 0;
  insertClaims: InsertClaims | undefined;
  /** Hears the outcome of every tracked call (the store's health). */
  outcomes: { succeeded(): void; failed(error: unknown): void } | undefined;
  closed = false;

  private readonly poolSize: number;

  constructor(pool: PgPool) {
    // At most two write transactions at once (the second only for 8 or more waiting writes; one with other nodes, see
    // `setNodes`): measured on 2 cores, more parallel transactions ran more, smaller batches and committed fewer writes
    // per second.
    this.poolSize = pool.pool.options.max ?? 10;
    this.group = new PgGroupCommit(
      pool,
      { maxBatches: this.writeTransactions(1), maxBatchSize: 64, minShared: 8 },
      () => this.insertClaims,
    );
  }

  /**
   * The deployment has `nodes` nodes now: a node alone runs up to two write transactions at once, a node among others
   * one — the primary's useful write concurrency is shared by the deployment, and one transaction per node makes each
   * node's batches larger (measured with two nodes on 2 cores: fewer transactions per request, less CPU per request
   * on both sides, more throughput).
   */
  setNodes(nodes: number): void {
    this.group.maxBatches = this.writeTransactions(nodes);
  }

  private writeTransactions(nodes: number): number {
    return Math.min(nodes > 1 ? 1 : 2, Math.max(1, this.poolSize - 2));
  }

  onCommit(listener: (counter: number) => void): void {
    this.listeners.push(listener);
  }

  /** Calls `listener` after each commit of this node only (never for `external`). */
  onLocalCommit(listener: (commit: LocalCommit) => void): void {
    this.localListeners.push(listener);
  }

  /** Another node committed: wake the listeners as a local commit with new events would. */
  external(): void {
    if (this.closed) return;
    this.counter++;
    for (const l of this.listeners) l(this.counter);
  }

  /** Runs `call` unless closed, keeping its promise until it settles. */
  track<R>(call: () => Promise<R>): Promise<R> {
    if (this.closed) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    const p = call();
    this.inFlight.add(p);
    p.then(
      () => {
        this.inFlight.delete(p);
        this.outcomes?.succeeded();
      },
      (error: unknown) => {
        this.inFlight.delete(p);
        this.outcomes?.failed(error);
      },
    );
    return p;
  }

  /**
   * Runs `fn` and, in the same transaction, the callback events and sync-log entries `plan` produces from its result
   * (through the group commit: the transaction may hold other writes of this node too); after the commit, hands the
   * events leased at insert to the dispatcher and tells the listeners.
   */
  write<R>(appId: number, fn: (tx: PgTx, now: number) => Promise<R>, plan?: (r: R) => PlannedEffects): Promise<R> {
    return this.submit(appId, undefined, (tx, now) => fn(tx, now), plan);
  }

  /**
   * {@link write} for a write whose main step is one row of a statement the batch's writes share (`step`); `result`
   * reads the write's row (and may throw its error).
   */
  writeShared<R>(appId: number, step: SharedStep, result: (row: never) => R, plan?: (r: R) => PlannedEffects) {
    return this.submit(appId, step, (_tx, _now, row) => Promise.resolve(result(row as never)), plan);
  }

  private submit<R>(
    appId: number,
    shared: SharedStep | undefined,
    main: (tx: PgTx, now: number, row: unknown) => Promise<R>,
    plan: ((r: R) => PlannedEffects) | undefined,
  ): Promise<R> {
    if (this.closed) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    let written: WrittenEvents = { leased: [], unleased: false };
    let synced = 0;
    let result: R;
    // Room the dispatcher gave to leases of runs that rolled back comes back once no write is in flight.
    if (this.writes++ === 0) this.insertClaims?.reset();
    const committed = new Promise<R>((resolve, reject) => {
      this.group.submit({
        appId,
        shared,
        main: async (tx, now, row) => {
          written = { leased: [], unleased: false };
          synced = 0;
          result = await main(tx, now, row);
          return plan?.(result);
        },
        wrote: (events, n) => {
          written = events;
          synced = n;
        },
        committed: () => {
          this.writes--;
          resolve(result);
          const leased = written.leased;
          if (leased.length > 0) this.insertClaims?.adopt(leased);
          if (written.unleased) this.counter++;
          for (const l of this.listeners) l(this.counter);
          if (this.localListeners.length > 0) {
            const commit: LocalCommit = {
              appId,
              unleasedEvents: written.unleased,
              leasedEvents: leased.length,
              syncEntries: synced,
            };
            for (const l of this.localListeners) l(commit);
          }
        },
        failed: (error) => {
          this.writes--;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      });
    });
    return this.track(() => committed);
  }

  /** Refuses new calls and waits for those in flight. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
