import type {
  AttemptFilter,
  AttemptView,
  EventFilter,
  EventView,
  Listing,
  OutboxAdmin,
  OutboxStats,
  ReplayFilter,
  ReplayOneResult,
  SavedCallbackConfig,
} from '../../../dispatch/outbox-admin.ts';
import type { EventState, Outbox, OutboxBatch, OutboxBatchResult } from '../../../dispatch/outbox.ts';
import type { PgPool } from '../pg-pool.ts';
import { adminSql } from './admin-sql.ts';
import { filtered } from './pg-filter-sql.ts';
import { PgOutboxListings } from './pg-outbox-listings.ts';
import { PgOutboxWriter, settleArgs, settledRows, type SettleRow } from './pg-outbox-writer.ts';
import { settleSql } from './settle-sql.ts';

/** The optional filters of the dead-event commands (replay and its count). */
function deadConditions(f: ReplayFilter) {
  return [
    { sql: 'command = {p}', value: f.command },
    { sql: 'ordering_key = {p}', value: f.account },
    { sql: 'created_at >= {p}', value: f.minTimeMs },
    { sql: 'created_at <= {p}', value: f.maxTimeMs },
  ];
}
import type { NodeLiveness } from '../node-liveness.ts';
import type { CarriedSettle } from '../pg-effects.ts';

/** What the outbox needs from its store. */
export interface PgOutboxHost {
  pool: PgPool;
  /**
   * The node's commit counter (see `PostgresStore.onCommit`): it counts commits that wrote events a claim has to
   * find. The outbox reports it where the SQLite outbox reports the highest event row id: event ids from a sequence
   * do not commit in id order across connections, but a counter read before a claim's statement starts covers
   * exactly the commits that claim sees.
   */
  commitCounter(): number;
  /** Which lease owners are alive (absent: only expiry ends a lease). */
  liveness?: NodeLiveness | undefined;
  /** Carries a batch of settles in the store's next write transaction, if writes wait for one (`PgGroupCommit.carry`). */
  carry?: ((settle: Omit<CarriedSettle, 'rows'>) => Promise<CarriedSettle['rows']> | undefined) | undefined;
}

/**
 * The callback outbox on PostgreSQL. Each delivery batch is one transaction on a pooled connection, committed with
 * `synchronous_commit = off` unless `durable` (the same trade as SQLite's relaxed batch: a crash of the database server
 * may forget the last delivery writes, whose events are then sent again — never a reported change or its event).
 * Claims lock with `FOR UPDATE SKIP LOCKED`, so any number of nodes claim from one table without waiting for each
 * other (see `claim-sql.ts`).
 */
export class PgOutbox implements Outbox, OutboxAdmin {
  private readonly host: PgOutboxHost;
  private readonly pool: PgPool;
  private readonly now: () => number;
  private readonly listings: PgOutboxListings;

  /**
   * @param now - The clock (tests set it). Lease times are the nodes' clocks: keep them in sync (NTP).
   * @param listWindowIds - Most ids one page of an index-less listing examines (tests make it small).
   */
  constructor(host: PgOutboxHost, now: () => number = Date.now, listWindowIds?: number) {
    this.host = host;
    this.pool = host.pool;
    this.now = now;
    this.listings = new PgOutboxListings(host.pool, listWindowIds);
  }

  async runBatch(batch: OutboxBatch): Promise<OutboxBatchResult> {
    const w = batch.writes;
    if (batch.claims.length === 0 && w.releases.length === 0 && w.expedite.length === 0 && w.settles.length > 0) {
      // Settles only (the usual batch under load): carried by the next write transaction when writes wait for one,
      // else one statement, a transaction of its own.
      const maxRowId = this.host.commitCounter();
      const { lockKeys, args } = settleArgs(w, this.now());
      const alone = () => this.pool.statement<SettleRow>(settleSql.settleBatch, [!batch.durable, lockKeys, ...args]);
      // Carried, the settles take the write batch's time: their arrays without `args[4]`, this batch's time.
      const carried = this.host.carry?.({ lockKeys, arrays: [...args.slice(0, 4), ...args.slice(5)] });
      const rows = carried ? await carried.catch(alone) : await alone();
      const { lost, unparked } = settledRows(w, rows);
      return { claims: [], lostEventIds: lost, maxRowId, unparked };
    }
    return this.batchNow(async (w, now) => {
      const maxRowId = this.host.commitCounter();
      const lostEventIds = await w.applyWrites(batch.writes, now);
      const claims = [];
      for (const r of batch.claims) claims.push(await w.claim(batch.owner, r, now));
      return { claims, lostEventIds, maxRowId, unparked: w.unparked };
    }, batch.durable);
  }

  /** Runs `work` with a delivery writer in one transaction (relaxed commit unless `durable`). @internal */
  batchNow<T>(work: (w: PgOutboxWriter, now: number) => Promise<T>, durable = false): Promise<T> {
    return this.pool.transaction((tx) => work(new PgOutboxWriter(tx), this.now()), { relaxed: !durable });
  }

  async pruneDelivered(beforeMs: number, limit: number): Promise<number> {
    return this.pool.transaction((tx) => tx.count(adminSql.pruneDelivered, [beforeMs, limit]));
  }

  /**
   * Run at a dispatcher's start, and at any time after: from now on this node holds `owner`'s liveness lock
   * (`node-liveness.ts`); the leases of owners that are gone end at once and every expired lease ends (their events
   * are due now, the interrupted attempt off the retry schedule); stray parked heads are unparked. Leases of live
   * nodes are left alone — without this call they end only on expiry, when any claim takes them over.
   */
  async recover(owner: string): Promise<{ leases: number; parked: number }> {
    const liveness = this.host.liveness;
    let gone: string[] = [];
    if (liveness) {
      await liveness.hold(owner);
      const owners = await this.pool.rows<{ lease_owner: string }>(adminSql.leaseOwners, [owner]);
      gone = await liveness.gone(owners.map((r) => r.lease_owner));
    }
    return this.pool.transaction(async (tx) => ({
      leases: await tx.count(adminSql.recoverLeases, [this.now(), owner, gone]),
      parked: await tx.count(adminSql.repairParked),
    }));
  }

  maxRowId(): Promise<number> {
    return Promise.resolve(this.host.commitCounter());
  }

  listEvents(filter: EventFilter): Promise<Listing<EventView>> {
    return this.listings.events(filter, this.now());
  }

  listAttempts(filter: AttemptFilter): Promise<Listing<AttemptView> | undefined> {
    return this.listings.attempts(filter);
  }

  async replayEvent(appId: number, eventId: string): Promise<ReplayOneResult> {
    return this.pool.transaction(async (tx) => {
      const row = await tx.row<{ state: EventState }>(adminSql.find, [eventId, appId]);
      if (!row) return { found: false, replayed: false };
      const replayed = (await tx.count(adminSql.replayOne, [eventId, this.now(), appId])) > 0;
      return { found: true, previousState: row.state, replayed };
    });
  }

  async replayDead(f: ReplayFilter): Promise<number> {
    const q = filtered('rw_replay_dead', adminSql.replayDead, [this.now(), f.appId], deadConditions(f));
    return this.pool.transaction((tx) => tx.count(q.sql, q.values));
  }

  async countDead(f: ReplayFilter): Promise<number> {
    const q = filtered('rw_count_dead', adminSql.countDead, [f.appId], deadConditions(f));
    return (await this.pool.rows<{ n: number }>(q.sql, q.values))[0]?.n ?? 0;
  }

  async stats(): Promise<OutboxStats[]> {
    const rows = await this.pool.rows<{ app_id: number; pending: number; dead: number; oldest: number | null }>(
      adminSql.stats,
    );
    return rows.map((r) => ({
      appId: r.app_id,
      pending: r.pending,
      dead: r.dead,
      oldestPendingAt: r.oldest ?? undefined,
    }));
  }

  async loadConfigs(): Promise<SavedCallbackConfig[]> {
    const rows = await this.pool.rows<{ app_id: number; config: string; updated_at: number }>(adminSql.loadConfigs);
    const out: SavedCallbackConfig[] = [];
    for (const r of rows) {
      try {
        out.push({ appId: r.app_id, config: JSON.parse(r.config) as unknown, updatedAt: r.updated_at });
      } catch {
        // A hand-edited row that is not JSON: ignore it; the file's config applies.
      }
    }
    return out;
  }

  async saveConfig(appId: number, config: unknown): Promise<void> {
    await this.pool.transaction((tx) =>
      tx.count(adminSql.saveConfig, [appId, JSON.stringify(config ?? null), this.now()]),
    );
  }
}
