/**
 * The outbox SQL tests' view of a store, so one suite runs on SQLite and on PostgreSQL: events written the way a
 * write transaction writes them, one delivery writer call per transaction, rows read and edited directly.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { OutboxAdmin } from '../../../src/dispatch/outbox-admin.ts';
import type { AttemptRecord, ClaimResult, ClaimedEvent, Outbox, SettleOutcome } from '../../../src/dispatch/outbox.ts';
import type { CallbackEventInput } from '../../../src/store/callback-event-input.ts';
import { PgOutbox } from '../../../src/store/postgres/outbox/pg-outbox.ts';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import { insertCallbacks } from '../../../src/store/postgres/pg-effects.ts';
import { pgTypes } from '../../../src/store/postgres/pg-types.ts';
import { SqliteOutbox } from '../../../src/store/sqlite/outbox/sqlite-outbox.ts';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { freshPgStore, PG_TEST_URL } from '../../helpers/pg-test-db.ts';

/** A row of `callback_events` as the tests look at it. */
export interface EventRowView {
  state: string;
  attempts: number;
  parked: number;
  next_attempt_at: number;
  lease_owner: string | null;
}

/** One store under test. */
export interface OutboxHarness {
  /**
   * Makes `owner` a live node's dispatcher on the same database (PostgreSQL: another store holding its liveness
   * lock); undefined where only one process can use the database (SQLite).
   */
  liveOwner?: (owner: string) => Promise<void>;
  outbox: Outbox & OutboxAdmin;
  /** Another outbox on the same store whose index-less listings examine `windowIds` ids per page. */
  withWindow(windowIds: number): OutboxAdmin;
  insert(appId: number, events: CallbackEventInput[], now: number): Promise<void>;
  claim(owner: string, appId: number, limit: number, leaseMs: number): Promise<ClaimResult>;
  settle(e: ClaimedEvent, outcome: SettleOutcome, record: AttemptRecord): Promise<boolean>;
  release(e: ClaimedEvent): Promise<boolean>;
  row(id: number): Promise<EventRowView>;
  query<T>(sql: string): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Whether the due-claim query can use `callback_events_due`. */
  dueIndexUsed(): Promise<boolean>;
  hasIndex(name: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The harness on a fresh SQLite file; `clock()` is the outbox's time. */
export function sqliteHarness(clock: () => number): OutboxHarness {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-outbox-'));
  const store = new SqliteStore({ path: join(dir, 'db.sqlite') });
  const outbox = new SqliteOutbox(store.db, store.committer, clock);
  const sync = <T>(fn: () => T) => Promise.resolve(fn());
  return {
    outbox,
    withWindow: (n) => new SqliteOutbox(store.db, store.committer, clock, n),
    async insert(appId, events, now) {
      await store.committer.run(() => store.ctx.insertCallbacks(appId, events, now));
    },
    claim: (owner, appId, limit, leaseMs) =>
      sync(() => outbox.batchNow((w, now) => w.claim(owner, { appId, limit, leaseMs }, now))),
    settle: (e, o, r) => sync(() => outbox.batchNow((w, now) => w.settle(e, o, r, now))),
    release: (e) => sync(() => outbox.batchNow((w, now) => w.release(e, now))),
    row: (id) =>
      sync(
        () =>
          store.db
            .prepare('SELECT state, attempts, parked, next_attempt_at, lease_owner FROM callback_events WHERE id = ?')
            .get(id) as EventRowView,
      ),
    query: <T>(sql: string) => sync(() => store.db.prepare(sql).all() as T[]),
    exec: (sql) => sync(() => void store.db.prepare(sql).run()),
    dueIndexUsed: () =>
      sync(() =>
        (
          store.db
            .prepare(
              `EXPLAIN QUERY PLAN SELECT id FROM callback_events INDEXED BY callback_events_due
               WHERE app_id = 7 AND state = 'pending' AND parked = 0 AND next_attempt_at <= 1
               ORDER BY next_attempt_at, id`,
            )
            .all() as { detail: string }[]
        ).some((p) => p.detail.includes('callback_events_due')),
      ),
    hasIndex: (name) =>
      sync(() => store.db.prepare('SELECT count(*) FROM sqlite_master WHERE name = ?').pluck().get(name) === 1),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The harness on a fresh PostgreSQL schema (dropped at close). */
export async function postgresHarness(clock: () => number): Promise<OutboxHarness> {
  const fresh = await freshPgStore({ now: clock });
  const { store, schema } = fresh;
  const outbox = store.outbox;
  const others: PostgresStore[] = [];
  const direct = new pg.Client({
    connectionString: PG_TEST_URL,
    options: `-c search_path=${schema}`,
    types: pgTypes,
  });
  await direct.connect();
  const rows = async <T>(sql: string) => (await direct.query(sql)).rows as T[];
  return {
    outbox,
    async liveOwner(owner) {
      const node = await PostgresStore.open({ url: PG_TEST_URL, schema, poolSize: 1 });
      others.push(node);
      await node.outbox.recover(owner);
    },
    withWindow: (n) => new PgOutbox({ pool: store.pool, commitCounter: () => 0 }, clock, n),
    async insert(appId, events, now) {
      await store.pool.transaction((tx) => insertCallbacks(tx, appId, events, now, undefined));
    },
    claim: (owner, appId, limit, leaseMs) =>
      outbox.batchNow((w, now) => w.claim(owner, { appId, limit, leaseMs }, now)),
    settle: (e, o, r) => outbox.batchNow((w, now) => w.settle(e, o, r, now)),
    release: (e) => outbox.batchNow((w, now) => w.release(e, now)),
    async row(id) {
      const [r] = await rows<EventRowView>(
        `SELECT state, attempts, parked, next_attempt_at, lease_owner FROM callback_events WHERE id = ${id}`,
      );
      return r!;
    },
    query: rows,
    exec: async (sql) => void (await direct.query(sql)),
    async dueIndexUsed() {
      await direct.query('BEGIN');
      try {
        await direct.query('SET LOCAL enable_seqscan = off');
        const plan = await rows<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM callback_events WHERE app_id = 7 AND state = 'pending' AND parked = 0
           AND next_attempt_at <= 1 ORDER BY next_attempt_at, id LIMIT 10`,
        );
        return plan.some((p) => p['QUERY PLAN'].includes('callback_events_due'));
      } finally {
        await direct.query('ROLLBACK');
      }
    },
    async hasIndex(name) {
      const r = await direct.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [schema, name]);
      return r.rowCount === 1;
    },
    async close() {
      for (const o of others) await o.close();
      await direct.end();
      await fresh.cleanup();
    },
  };
}
