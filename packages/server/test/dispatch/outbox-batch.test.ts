/**
 * `Outbox.runBatch` on a real SQLite file: it rides the store's pending group commit (one transaction with the queued
 * writes, claiming the events they write), also one queued in the next event-loop turn, or then runs in a transaction
 * of its own; its input and output are plain
 * data that survive `structuredClone` (the store may move to a worker thread).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboxBatch } from '../../src/dispatch/outbox.ts';
import type { CallbackEventInput } from '../../src/store/callback-event-input.ts';
import { SqliteOutbox } from '../../src/store/sqlite/outbox/sqlite-outbox.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { afterEach, beforeEach, describe, it } from 'node:test';

const APP = 7;
const OWNER = 'me';
const ORIGIN = { clientIp: '10.0.0.1', optPlatform: 'RESTAPI' };
const CLAIM = { appId: APP, limit: 10, leaseMs: 60_000 };
const NO_WRITES = () => ({ settles: [], releases: [], expedite: [] });

describe('outbox runBatch', () => {
  let dir: string;
  let store: SqliteStore;
  let outbox: SqliteOutbox;
  let commits: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readwire-outbox-batch-'));
    store = new SqliteStore({ path: join(dir, 'db.sqlite') });
    outbox = new SqliteOutbox(store.db, store.committer);
    commits = 0;
    store.committer.onCommit(() => commits++);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Queues a store write producing one event per key, as a read report's transaction does. */
  function queueInsert(keys: string[]): Promise<void> {
    return store.committer.run(() => {
      const events: CallbackEventInput[] = keys.map((k) => ({
        command: 'C2C.CallbackAfterMsgReport',
        orderingKey: k,
        payload: { Report_Account: k },
        origin: ORIGIN,
      }));
      store.ctx.insertCallbacks(APP, events, Date.now());
    });
  }
  const leaseOwner = (id: number) =>
    store.db.prepare('SELECT lease_owner FROM callback_events WHERE id = ?').pluck().get(id) as string | null;
  const claimOnly = (): OutboxBatch => ({ owner: OWNER, writes: NO_WRITES(), claims: [CLAIM], durable: false });

  it('rides a pending group commit: one transaction with the queued writes, claiming the event they wrote', async () => {
    const inserted = queueInsert(['alice']);
    const result = outbox.runBatch(claimOnly());
    assert.equal(store.committer.pending, 2, 'the batch waits in the group commit, behind the write');
    const [r] = await Promise.all([result, inserted]);
    assert.equal(commits, 1, 'one commit for the write and the batch');
    assert.deepEqual(
      r.claims[0]!.events.map((e) => [e.rowId, e.orderingKey, e.owner]),
      [[1, 'alice', OWNER]],
    );
    assert.equal(r.maxRowId, 1);
    assert.equal(leaseOwner(1), OWNER);
  });

  it('rides a write queued in the next event-loop turn', async () => {
    const result = outbox.runBatch(claimOnly());
    assert.equal(store.committer.pending, 0, 'nothing queued yet: the batch waits one turn');
    const inserted = queueInsert(['alice']);
    const [r] = await Promise.all([result, inserted]);
    assert.equal(commits, 1, 'one commit for the write and the batch');
    assert.deepEqual(
      r.claims[0]!.events.map((e) => [e.rowId, e.orderingKey]),
      [[1, 'alice']],
    );
  });

  it('runs in a transaction of its own, outside the group commit, when no write came in the next turn', async () => {
    await queueInsert(['alice', 'bob']);
    commits = 0;
    const level: unknown = store.db.pragma('synchronous', { simple: true });
    const pending = outbox.runBatch(claimOnly());
    assert.equal(leaseOwner(1), null, 'not run before the next turn');
    const r = await pending;
    assert.equal(leaseOwner(1), OWNER);
    assert.equal(commits, 0);
    assert.equal(r.claims[0]!.events.length, 2);
    assert.equal(r.maxRowId, 2);
    assert.equal(store.db.pragma('synchronous', { simple: true }), level, 'the sync level is restored');
  });

  it('takes and returns plain data: settles, releases and claims survive structuredClone', async () => {
    await queueInsert(['alice', 'bob', 'carol']);
    const first = await outbox.runBatch(claimOnly());
    assert.deepEqual(structuredClone(first), first);
    const [a, b, c] = first.claims[0]!.events.map((e) => structuredClone(e));
    const record = { url: 'http://receiver/', startedAt: 1, latencyMs: 2, status: 500, errorCode: undefined };
    const stale = { ...c!, owner: 'someone-else' };
    const batch: OutboxBatch = {
      owner: OWNER,
      writes: {
        settles: [
          { event: a!, outcome: { kind: 'delivered' }, record: { ...record, status: 200 } },
          { event: stale, outcome: { kind: 'retry', nextAttemptAt: 0 }, record: { ...record, error: 'HTTP 500' } },
        ],
        releases: [b!],
        expedite: [APP],
      },
      claims: [CLAIM],
      durable: true,
    };
    const cloned = structuredClone(batch);
    assert.deepEqual(cloned, batch);
    const r = await outbox.runBatch(cloned);
    assert.deepEqual(structuredClone(r), r);
    assert.deepEqual(r.lostEventIds, [c!.eventId], 'the settle of a lease held by another owner is reported lost');
    assert.deepEqual(
      r.claims[0]!.events.map((e) => [e.orderingKey, e.attempt]),
      [['bob', 1]],
      'the released event is claimed again without using an attempt; carol stays leased',
    );
    const states = store.db.prepare('SELECT state FROM callback_events ORDER BY id').pluck().all();
    assert.deepEqual(states, ['delivered', 'pending', 'pending']);
  });

  it('rejects, writing nothing, when its transaction cannot run', async () => {
    await queueInsert(['alice']);
    store.db.exec('BEGIN');
    try {
      await assert.rejects(outbox.runBatch(claimOnly()), /cannot run inside another transaction/);
    } finally {
      store.db.exec('ROLLBACK');
    }
    assert.equal(leaseOwner(1), null);
  });
});
