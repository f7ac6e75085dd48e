import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { planEffects, type EffectResults } from '../../core/plan-effects.ts';
import type { ClaimedEvent, InsertClaims } from '../../dispatch/outbox.ts';
import type * as T from '../../domain/types.ts';
import { ImError } from '../../errors/im-error.ts';
import type { ConversationPage, MessagePage, PageRequest } from '../conversation-page.ts';
import type { EffectKind, EffectPlanOf } from '../effect-plan.ts';
import type { ServerStore } from '../server-store.ts';
import type { SyncPage, SyncQuery } from '../sync-event.ts';
import { batchSendOp } from './ops/batch-send-op.ts';
import { sendMessageOp } from './ops/send-message-op.ts';
import { setReadOp } from './ops/set-read-op.ts';
import { withdrawOp } from './ops/withdraw-op.ts';
import { PgOutbox } from './outbox/pg-outbox.ts';
import { appendSync, insertCallbacks } from './pg-effects.ts';
import { PgListings } from './pg-listings.ts';
import type { PgPool, PgTx } from './pg-pool.ts';
import { accountSql } from './sql/account-sql.ts';
import { messageSql } from './sql/message-sql.ts';
import { syncSql } from './sql/sync-sql.ts';
import { openPostgres, type OpenPostgresOptions } from './open-postgres.ts';

/** Sync-log entries pruned per transaction. */
const PRUNE_CHUNK = 5000;

/**
 * The store on PostgreSQL: any number of nodes (processes) on one database and schema. Each write is one READ
 * COMMITTED transaction on a pooled connection, together with its callback events and sync-log entries; rows are
 * locked in one global order (`sql/message-sql.ts`) and a transaction that still loses a race (40001/40P01) runs
 * again a bounded number of times. An acknowledged write has committed, durable as the server's `synchronous_commit`
 * makes it (`on` by default; `off` may lose the last commits of a database crash).
 *
 * **Node id.** `nodeId` is random per process; the outbox's leases name their owner, and a node's leases simply expire
 * if it dies (no recovery "at start": other nodes are alive).
 *
 * **Commits elsewhere.** `onCommit` listeners hear this node's commits. A commit on another node is announced with
 * {@link PostgresStore.notifyExternalCommit} (e.g. from LISTEN/NOTIFY): it wakes the dispatcher (to claim) and the
 * gateway (to read the sync log) exactly as a local commit.
 */
export class PostgresStore implements ServerStore {
  readonly pool: PgPool;
  /** This process's identity among the nodes (random per start). */
  readonly nodeId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly outbox: PgOutbox;
  private readonly listings: PgListings;
  private readonly listeners: ((counter: number) => void)[] = [];
  private insertClaims: InsertClaims | undefined;
  /** Commits that wrote events a claim has to find (this node's, and those announced from others). */
  private counter = 0;
  private lastTime: number;
  private writesInFlight = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(pool: PgPool, lastTime: number, now?: () => number) {
    this.pool = pool;
    this.lastTime = lastTime;
    this.listings = new PgListings(pool);
    this.outbox = new PgOutbox({ pool, commitCounter: () => this.counter }, now);
  }

  /** Connects, applies migrations (under an advisory lock) and returns the store. See `openPostgres` for errors. */
  static async open(options: OpenPostgresOptions): Promise<PostgresStore> {
    const pool = await openPostgres(options);
    try {
      const [row] = await pool.rows<{ msg_time: number }>(messageSql.maxTime);
      return new PostgresStore(pool, row?.msg_time ?? 0, options.now);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  onCommit(listener: (maxEventRowId: number) => void): void {
    this.listeners.push(listener);
  }

  /** Tells this node that another node committed (events or sync entries may be waiting): wakes the listeners. */
  notifyExternalCommit(): void {
    if (this.closed) return;
    this.counter++;
    for (const l of this.listeners) l(this.counter);
  }

  claimOnInsert(claims: InsertClaims): void {
    this.insertClaims = claims;
  }

  inspect<R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]> {
    return this.track(() =>
      this.pool.transaction(async (tx) => (await tx.client.query(sql, params)).rows as R[], { readOnly: true }),
    );
  }

  /** Current Unix seconds, never lower than a MsgTime this node stored or saw at start (clocks: keep nodes in NTP). */
  private messageTime(nowMs: number): number {
    this.lastTime = Math.max(this.lastTime, Math.floor(nowMs / 1000));
    return this.lastTime;
  }

  /** Runs `call` unless the store is closed, keeping its promise until it settles (`close` waits for it). */
  private track<R>(call: () => Promise<R>): Promise<R> {
    if (this.closed) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    const p = call();
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  /**
   * Runs a write and the effects `plan` produces from its result in one transaction; after the commit, hands the
   * events leased at insert to the dispatcher and tells the listeners.
   */
  private write<R>(
    appId: number,
    fn: (tx: PgTx, now: number) => Promise<R>,
    plan?: (r: R) => EffectPlanInput,
  ): Promise<R> {
    if (this.closed) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    let leased: ClaimedEvent[] = [];
    let unleased = false;
    // The dispatcher's room taken by leases of writes that rolled back is given back once no write is in flight.
    if (this.writesInFlight++ === 0) this.insertClaims?.reset();
    const run = this.pool.transaction(async (tx) => {
      const now = Date.now();
      const result = await fn(tx, now);
      if (plan) {
        const produced = plan(result);
        const events = await insertCallbacks(tx, appId, produced.callbacks, now, this.insertClaims);
        leased = events.leased;
        unleased = events.unleased;
        await appendSync(tx, appId, produced.sync, now);
      }
      return result;
    });
    const committed = run.then(
      (result) => {
        this.writesInFlight--;
        if (leased.length > 0) this.insertClaims?.adopt(leased);
        if (unleased) this.counter++;
        for (const l of this.listeners) l(this.counter);
        return result;
      },
      (error: unknown) => {
        this.writesInFlight--;
        throw error;
      },
    );
    return this.track(() => committed);
  }

  private withEffects<K extends EffectKind>(plan: EffectPlanOf<K> | undefined) {
    return plan ? (r: EffectResults[K]) => planEffects(plan, r) : undefined;
  }

  importAccounts(appId: number, accounts: T.AccountInput[]): Promise<void> {
    const byId = new Map(accounts.map((a) => [a.userId, a]));
    const list = [...byId.values()];
    return this.write(appId, async (tx, now) => {
      await tx.count(accountSql.upsert, [
        appId,
        list.map((a) => a.userId),
        list.map((a) => a.nick ?? ''),
        list.map((a) => a.faceUrl ?? ''),
        now,
      ]);
    });
  }

  async existingAccounts(appId: number, userIds: string[]): Promise<Set<string>> {
    const rows = await this.track(() => this.pool.rows<{ user_id: string }>(accountSql.existing, [appId, userIds]));
    return new Set(rows.map((r) => r.user_id));
  }

  sendMessage(
    appId: number,
    to: string,
    message: T.NewMessage,
    options: { dedupWindowSeconds: number; effects?: EffectPlanOf<'send'> | undefined },
  ): Promise<T.SendResult> {
    return this.write(
      appId,
      (tx, now) => sendMessageOp(tx, appId, to, message, options.dedupWindowSeconds, this.messageTime(now), now),
      this.withEffects(options.effects),
    );
  }

  batchSendMessage(
    appId: number,
    to: string[],
    message: T.NewMessage,
    options?: { effects?: EffectPlanOf<'batch-send'> | undefined },
  ): Promise<T.BatchSendResult> {
    return this.write(
      appId,
      (tx, now) => batchSendOp(tx, appId, to, message, this.messageTime(now), now),
      this.withEffects(options?.effects),
    );
  }

  setRead(appId: number, report: T.ReadReport, options?: { effects?: EffectPlanOf<'read'> | undefined }) {
    return this.write(appId, (tx, now) => setReadOp(tx, appId, report, now), this.withEffects(options?.effects));
  }

  getUnread(appId: number, user: string, peers?: string[]): Promise<T.UnreadCounts> {
    return this.track(() => this.listings.unreadCounts(appId, user, peers));
  }

  getRoamMessages(appId: number, q: T.RoamQuery): Promise<T.RoamPage> {
    return this.track(() => this.listings.roam(appId, q));
  }

  withdrawMessage(
    appId: number,
    request: T.WithdrawRequest,
    options?: { effects?: EffectPlanOf<'withdraw'> | undefined },
  ) {
    return this.write(appId, (tx) => withdrawOp(tx, appId, request), this.withEffects(options?.effects));
  }

  listConversations(appId: number, owner: string, page: PageRequest): Promise<ConversationPage> {
    return this.track(() => this.listings.conversations(appId, owner, page));
  }

  listMessages(appId: number, owner: string, peer: string, page: PageRequest): Promise<MessagePage> {
    return this.track(() => this.listings.messages(appId, owner, peer, page));
  }

  async startSyncLog(appId: number, userId: string): Promise<void> {
    const has = await this.track(() => this.pool.rows(syncSql.hasUser, [appId, userId]));
    if (has.length > 0) return;
    await this.write(appId, (tx, now) => tx.count(syncSql.addUser, [appId, userId, now]));
  }

  readSyncEvents(query: SyncQuery): Promise<SyncPage> {
    return this.track(() => this.listings.syncEvents(query));
  }

  async pruneSyncEvents(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.write(0, async (tx) => {
        const upto = (await tx.row<{ upto: number | null }>(syncSql.pruneUpto, [PRUNE_CHUNK, olderThanMs]))?.upto;
        if (upto === null || upto === undefined) return 0;
        return (await tx.row<{ n: number }>(syncSql.prune, [upto]))?.n ?? 0;
      });
      total += n;
      if (n === 0) return total;
    }
  }

  /** Waits for the calls in flight, then closes the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }
}

/** What a write's effect plan produces (`planEffects`). */
type EffectPlanInput = ReturnType<typeof planEffects>;
