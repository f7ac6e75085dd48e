import type { StoreHealth } from '../store-health.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { InsertClaims } from '../../dispatch/outbox.ts';
import type * as T from '../../domain/types.ts';
import type { ConversationPage, MessagePage, PageRequest } from '../conversation-page.ts';
import type { ServerStore } from '../server-store.ts';
import type { SyncPage, SyncQuery } from '../sync-event.ts';
import { PgOutbox } from './outbox/pg-outbox.ts';
import { PgListings } from './pg-listings.ts';
import { PgPresence } from './pg-presence.ts';
import type { SharedPresence } from '../shared-presence.ts';
import { NodeLiveness } from './node-liveness.ts';
import { PgHealth } from './pg-health.ts';
import type { PgPool } from './pg-pool.ts';
import { PgWriteHub, type LocalCommit } from './pg-write-hub.ts';
import { accountSql } from './sql/account-sql.ts';
import { kickSql } from './sql/kick-sql.ts';
import { messageSql } from './sql/message-sql.ts';
import { syncSql } from './sql/sync-sql.ts';
import { openPostgres, type OpenPostgresOptions } from './open-postgres.ts';
import { PgStoreWrites } from './pg-store-writes.ts';

/** The health probe's statement. */
const PING = { name: 'rw_ping', text: 'SELECT 1 AS one' };

/**
 * The store on PostgreSQL: any number of nodes (processes) on one database and schema. Each write is one READ
 * COMMITTED transaction on a pooled connection, together with its callback events and sync-log entries; rows are
 * locked in one global order (`sql/message-sql.ts`) and a transaction that still loses a race (40001/40P01) runs
 * again a bounded number of times. An acknowledged write has committed, durable as the server's `synchronous_commit`
 * makes it (`on` by default; `off` may lose the last commits of a database crash).
 *
 * **Node id and leases.** `nodeId` is random per process. Leases name their owner (the dispatcher's id); a dispatcher
 * that calls `outbox.recover(owner)` holds that owner's liveness lock on a connection of its own
 * (`node-liveness.ts`), so when its process dies the next `recover` on any node ends its leases at once; otherwise a
 * lease ends when it expires.
 *
 * **Commits elsewhere.** `onCommit` listeners hear this node's commits. A commit on another node is announced with
 * {@link PostgresStore.notifyExternalCommit} (e.g. from LISTEN/NOTIFY): it wakes the dispatcher (to claim) and the
 * gateway (to read the sync log) exactly as a local commit.
 */
export class PostgresStore extends PgStoreWrites implements ServerStore {
  readonly pool: PgPool;
  /** This process's identity among the nodes (random per start). */
  readonly nodeId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly outbox: PgOutbox;
  private readonly listings: PgListings;
  private readonly liveness: NodeLiveness;
  private readonly healthWatch: PgHealth;

  private constructor(pool: PgPool, lastTime: number, now?: () => number) {
    super(new PgWriteHub(pool), lastTime);
    this.pool = pool;
    this.listings = new PgListings(pool);
    this.liveness = new NodeLiveness(() => pool.newClient());
    this.healthWatch = new PgHealth(() => this.pool.rows(PING), pool.target);
    this.hub.outcomes = this.healthWatch;
    this.outbox = new PgOutbox(
      {
        pool,
        commitCounter: () => this.hub.counter,
        liveness: this.liveness,
        carry: (settle) => this.hub.group.carry(settle),
      },
      now,
    );
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

  /** Calls `listener` after each commit with the node's commit counter (see `PgWriteHub`). */
  onCommit(listener: (maxEventRowId: number) => void): void {
    this.hub.onCommit(listener);
  }

  /**
   * Calls `listener` after each commit of this node (not for `notifyExternalCommit`), saying what it wrote: the hook
   * to announce commits to other nodes (coalesced, after the commit — never a NOTIFY inside each write).
   */
  onLocalCommit(listener: (commit: LocalCommit) => void): void {
    this.hub.onLocalCommit(listener);
  }

  /** The deployment has `nodes` nodes now (counted by the cluster bus): sets this node's write concurrency. */
  setDeploymentNodes(nodes: number): void {
    this.hub.setNodes(nodes);
  }

  /** Tells this node that another node committed (events or sync entries may be waiting): wakes the listeners. */
  notifyExternalCommit(): void {
    this.hub.external();
  }

  /** Write transactions this node committed and the writes they held (group commit), and batches that ran again alone. */
  get commitStats(): { batches: number; writes: number; fallbacks: number } {
    return { ...this.hub.group.stats };
  }

  /** Resolves when the database answers a query now (for health checks); rejects when it does not. */
  async ping(): Promise<void> {
    await this.hub.track(() => this.pool.rows(PING));
  }

  /**
   * Without I/O: not ok while PostgreSQL is unreachable — as the last call that failed to reach it, or the probe an
   * idle node runs every second, found it (see `PgHealth`); ok again after the next call that reaches it.
   */
  health(): StoreHealth {
    return this.healthWatch.health();
  }

  /** Calls `listener` once when PostgreSQL becomes unreachable, naming host, port, database and the cause. */
  onProblem(listener: (message: string) => void): void {
    this.healthWatch.onProblem(listener);
  }

  /** Presence in the `presence_*` tables, for every node of the deployment (see `PgPresence`). */
  sharedPresence(nodeId: string, onError: (error: unknown) => void): SharedPresence {
    return new PgPresence(this.pool, nodeId, { onError });
  }

  claimOnInsert(claims: InsertClaims): void {
    this.hub.insertClaims = claims;
  }

  /** Runs `sql` (placeholders `$1`, `$2`, …) in a READ ONLY transaction: a writing statement fails. */
  inspect<R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]> {
    return this.hub.track(() =>
      this.pool.transaction(async (tx) => (await tx.client.query(sql, params)).rows as R[], { readOnly: true }),
    );
  }

  async existingAccounts(appId: number, userIds: string[]): Promise<Set<string>> {
    const rows = await this.hub.track(() => this.pool.rows<{ user_id: string }>(accountSql.existing, [appId, userIds]));
    return new Set(rows.map((r) => r.user_id));
  }

  getUnread(appId: number, user: string, peers?: string[]): Promise<T.UnreadCounts> {
    return this.hub.track(() => this.listings.unreadCounts(appId, user, peers));
  }

  getRoamMessages(appId: number, q: T.RoamQuery): Promise<T.RoamPage> {
    return this.hub.track(() => this.listings.roam(appId, q));
  }

  /** The kick stamp of an account (Unix seconds; 0 = never kicked or no such account). */
  async sigsValidAfter(appId: number, userId: string): Promise<number> {
    const rows = await this.hub.track(() =>
      this.pool.rows<{ sigs_valid_after: number }>(kickSql.validAfter, [appId, userId]),
    );
    return rows[0]?.sigs_valid_after ?? 0;
  }

  listConversations(appId: number, owner: string, page: PageRequest): Promise<ConversationPage> {
    return this.hub.track(() => this.listings.conversations(appId, owner, page));
  }

  listMessages(appId: number, owner: string, peer: string, page: PageRequest): Promise<MessagePage> {
    return this.hub.track(() => this.listings.messages(appId, owner, peer, page));
  }

  async startSyncLog(appId: number, userId: string): Promise<void> {
    const has = await this.hub.track(() => this.pool.rows(syncSql.hasUser, [appId, userId]));
    if (has.length > 0) return;
    await this.hub.write(appId, (tx, now) => tx.count(syncSql.addUser, [appId, userId, now]));
  }

  readSyncEvents(query: SyncQuery): Promise<SyncPage> {
    return this.hub.track(() => this.listings.syncEvents(query));
  }

  /** Waits for the calls in flight, then closes the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.hub.closed) return;
    await this.hub.close();
    this.healthWatch.close();
    await this.liveness.close();
    await this.pool.end();
  }
}
