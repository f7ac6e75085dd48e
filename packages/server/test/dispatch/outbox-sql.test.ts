/**
 * The outbox SQL on a real SQLite file: claims take only heads (strict per-key order, parking), leases are fenced by
 * owner and attempt, expired leases are claimable again (crash recovery), release/replay/prune/repair behave.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaimedEvent, ClaimResult } from '../../src/dispatch/outbox.ts';
import type { CallbackEventInput } from '../../src/store/callback-event-input.ts';
import type { OutboxWriter } from '../../src/store/sqlite/outbox/outbox-writer.ts';
import { SqliteOutbox } from '../../src/store/sqlite/outbox/sqlite-outbox.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { afterEach, beforeEach, describe, it } from 'node:test';

const APP = 7;
const OTHER_APP = 8;
const ORIGIN = { clientIp: '10.0.0.1', optPlatform: 'RESTAPI' };
const RECORD = { url: 'http://receiver/', startedAt: 0, latencyMs: 1.5, status: 200 };

describe('outbox SQL', () => {
  let dir: string;
  let store: SqliteStore;
  let outbox: SqliteOutbox;
  let clock: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readwire-outbox-'));
    store = new SqliteStore({ path: join(dir, 'db.sqlite') });
    clock = 1_000_000;
    outbox = new SqliteOutbox(store.db, store.committer, () => clock);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes events directly, the way a read report's transaction does. */
  async function insert(appId: number, keys: string[]): Promise<void> {
    await store.committer.run(() => {
      const events: CallbackEventInput[] = keys.map((k, i) => ({
        command: 'C2C.CallbackAfterMsgReport',
        orderingKey: k,
        payload: { Report_Account: k, n: i },
        origin: ORIGIN,
      }));
      store.ctx.insertCallbacks(appId, events, clock);
    });
  }
  /** The synchronous in-transaction writer, for the SQL itself (the dispatcher goes through `runBatch`). */
  const batch = <T>(work: (w: OutboxWriter, now: number) => T) => outbox.batchNow(work);
  const claim = (limit: number, owner = 'me', appId = APP, leaseMs = 60_000): ClaimResult =>
    batch((w, now) => w.claim(owner, { appId, limit, leaseMs }, now));
  const keysOf = (r: ClaimResult) => r.events.map((e) => `${e.orderingKey}#${(JSON.parse(e.body) as { n: number }).n}`);
  const deliver = (e: ClaimedEvent) => batch((w, now) => w.settle(e, { kind: 'delivered' }, RECORD, now));
  const row = (id: number) =>
    store.db
      .prepare('SELECT state, attempts, parked, next_attempt_at, lease_owner FROM callback_events WHERE id = ?')
      .get(id) as {
      state: string;
      attempts: number;
      parked: number;
      next_attempt_at: number;
      lease_owner: string | null;
    };

  it('claims only the head of each ordering key, and the next one only after the previous is settled', async () => {
    await insert(APP, ['alice', 'alice', 'bob', 'alice', 'bob']);
    const first = claim(10);
    assert.deepEqual(keysOf(first), ['alice#0', 'bob#2']);
    assert.deepEqual(keysOf(claim(10)), [], 'the heads are leased, the rest parked');
    assert.equal(row(2).parked, 1);
    assert.equal(row(5).parked, 1);
    assert.equal(deliver(first.events[0]!), true);
    assert.equal(row(2).parked, 0, 'delivering alice#0 unparks alice#1');
    assert.deepEqual(keysOf(claim(10)), ['alice#1']);
    assert.equal(
      batch((w, now) => w.settle(first.events[1]!, { kind: 'dead' }, { ...RECORD, error: 'HTTP 500' }, now)),
      true,
    );
    assert.deepEqual(keysOf(claim(10)), ['bob#4'], 'a dead head lets the next one go');
  });

  it('keeps the key waiting while its head retries, and claims the head again once due', async () => {
    await insert(APP, ['alice', 'alice']);
    const [e] = claim(10).events;
    batch((w, now) => w.settle(e!, { kind: 'retry', nextAttemptAt: now + 5000 }, { ...RECORD, status: 500 }, now));
    assert.deepEqual(keysOf(claim(10)), [], 'not due yet, and alice#1 waits');
    clock += 5000;
    const again = claim(10);
    assert.deepEqual(keysOf(again), ['alice#0']);
    assert.equal(again.events[0]!.attempt, 2);
    assert.equal(again.events[0]!.scheduleAttempt, 2);
  });

  it('fences settle and release by lease owner and attempt; an expired lease is claimable again', async () => {
    await insert(APP, ['alice']);
    const [mine] = claim(1, 'crashed-process', APP, 10_000).events;
    assert.equal(claim(1, 'other').events.length, 0, 'leased');
    clock += 10_001;
    const [theirs] = claim(1, 'other').events;
    assert.ok(theirs, 'the expired lease is claimed again (crash recovery)');
    assert.equal(theirs.attempt, 2);
    assert.equal(deliver(mine!), false, 'the stale owner cannot settle');
    assert.equal(
      batch((w, now) => w.release(mine!, now)),
      false,
      'nor release',
    );
    assert.equal(row(1).state, 'pending');
    assert.equal(deliver(theirs), true);
    assert.equal(row(1).state, 'delivered');
    const attempts = store.db.prepare('SELECT attempt, outcome FROM callback_attempts ORDER BY id').all();
    assert.deepEqual(attempts, [
      { attempt: 1, outcome: 'delivered' },
      { attempt: 2, outcome: 'delivered' },
    ]);
  });

  it('at start, ends the leases of the previous process at once (the exclusive lock proves it is gone)', async () => {
    await insert(APP, ['alice', 'alice']);
    const [e] = claim(1, 'previous-process').events;
    assert.equal(claim(1, 'me').events.length, 0);
    assert.deepEqual(await outbox.recover('me'), { leases: 1, parked: 0 });
    const [again] = claim(1, 'me').events;
    assert.equal(again!.rowId, e!.rowId, 'the interrupted head goes first, without waiting for its lease');
    assert.equal(again!.attempt, 2, 'its attempt number moves on');
    assert.equal(again!.scheduleAttempt, 1, 'the interrupted attempt does not use the retry schedule');
  });

  it('release makes a claimed event due again without using an attempt; aborted keeps the count off the schedule', async () => {
    await insert(APP, ['alice']);
    const [e] = claim(1).events;
    assert.equal(
      batch((w, now) => w.release(e!, now)),
      true,
    );
    assert.deepEqual(row(1), { state: 'pending', attempts: 0, parked: 0, next_attempt_at: clock, lease_owner: null });
    const [again] = claim(1).events;
    assert.equal(again!.attempt, 1);
    batch((w, now) => w.settle(again!, { kind: 'aborted' }, { ...RECORD, error: 'aborted: server stopping' }, now));
    const [third] = claim(1).events;
    assert.equal(third!.attempt, 2, 'X-Readwire-Attempt keeps counting');
    assert.equal(third!.scheduleAttempt, 1, 'but the aborted attempt does not use the retry schedule');
  });

  it('apps never share claims, and one app’s limit leaves the other untouched', async () => {
    await insert(APP, ['a1', 'a2', 'a3']);
    await insert(OTHER_APP, ['b1']);
    assert.deepEqual(keysOf(claim(2)), ['a1#0', 'a2#1']);
    assert.deepEqual(keysOf(claim(5, 'me', OTHER_APP)), ['b1#0']);
    assert.deepEqual(keysOf(claim(5)), ['a3#2']);
  });

  it('parks a long backlog behind one key once, and reports the next due time', async () => {
    await insert(
      APP,
      Array.from({ length: 300 }, () => 'hot'),
    );
    const r = claim(10);
    assert.equal(r.events.length, 1);
    assert.equal(r.nextDueAt, clock + 60_000, 'the in-flight head is the next due (its lease end)');
    const parked = store.db.prepare('SELECT count(*) FROM callback_events WHERE parked = 1').pluck().get();
    assert.equal(parked, 299);
    const plan = store.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM callback_events INDEXED BY callback_events_due
         WHERE app_id = 7 AND state = 'pending' AND parked = 0 AND next_attempt_at <= 1 ORDER BY next_attempt_at, id`,
      )
      .all() as { detail: string }[];
    assert.ok(plan.some((p) => p.detail.includes('callback_events_due')));
    deliver(r.events[0]!);
    assert.deepEqual(keysOf(claim(10)), ['hot#1']);
  });

  it('replays delivered and dead events with a fresh schedule, repairs stray parked heads, prunes delivered only', async () => {
    await insert(APP, ['alice', 'bob', 'carol']);
    const [a, b, c] = claim(3).events;
    deliver(a!);
    batch((w, now) => w.settle(b!, { kind: 'dead' }, RECORD, now));
    assert.equal((await outbox.replayEvent(APP, 'no-such-id')).found, false);
    assert.deepEqual(await outbox.replayEvent(APP, a!.eventId), {
      found: true,
      previousState: 'delivered',
      replayed: true,
    });
    assert.deepEqual(await outbox.replayEvent(APP, c!.eventId), {
      found: true,
      previousState: 'pending',
      replayed: false,
    });
    assert.equal(await outbox.replayDead({ appId: APP, account: 'nobody' }), 0);
    assert.equal(await outbox.replayDead({ appId: APP }), 1);
    const again = claim(5).events;
    assert.deepEqual(
      again.map((e) => [e.orderingKey, e.attempt, e.scheduleAttempt]),
      [
        ['alice', 2, 1],
        ['bob', 2, 1],
      ],
    );
    deliver(again[0]!);
    deliver(again[1]!);
    deliver(c!);
    store.db.prepare('UPDATE callback_events SET parked = 1, state = ? WHERE id = 3').run('pending');
    assert.deepEqual(await outbox.recover('me'), { leases: 0, parked: 1 });
    store.db.prepare("UPDATE callback_events SET state = 'dead', parked = 0 WHERE id = 3").run();
    clock += 1000;
    assert.equal(await outbox.pruneDelivered(clock, 100), 2, 'delivered events go');
    assert.deepEqual(
      store.db.prepare('SELECT id, state FROM callback_events').all(),
      [{ id: 3, state: 'dead' }],
      'dead events stay',
    );
    assert.equal(store.db.prepare('SELECT count(*) FROM callback_attempts WHERE event_row != 3').pluck().get(), 0);
  });

  it('pages an index-less listing through bounded windows, and lists pending or dead events of an account at once', async () => {
    const small = new SqliteOutbox(store.db, store.committer, () => clock, 4);
    const keys = Array.from({ length: 20 }, (_, i) => ([1, 10, 16].includes(i) ? 'zed' : `u${i}`));
    await insert(APP, keys);
    const ids = (rows: { rowId: number }[]) => rows.map((r) => r.rowId);
    const pages: { rows: number[]; scannedDownTo: number | undefined }[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await small.listEvents({ appId: APP, account: 'zed', beforeRowId: before, limit: 10 });
      pages.push({ rows: ids(page.rows), scannedDownTo: page.scannedDownTo });
      if (page.scannedDownTo === undefined) break;
      before = page.scannedDownTo;
    }
    assert.deepEqual(pages, [
      { rows: [17], scannedDownTo: 17 },
      { rows: [], scannedDownTo: 13 },
      { rows: [11], scannedDownTo: 9 },
      { rows: [], scannedDownTo: 5 },
      { rows: [2], scannedDownTo: undefined },
    ]);
    const full = await small.listEvents({ appId: APP, limit: 3 });
    assert.deepEqual([ids(full.rows), full.scannedDownTo], [[20, 19, 18], undefined], 'a full page needs no cursor');
    const pending = await small.listEvents({ appId: APP, account: 'zed', state: 'pending', limit: 10 });
    assert.deepEqual([ids(pending.rows), pending.scannedDownTo], [[17, 11, 2], undefined], 'from the order index');
    const heads = claim(20);
    const zed = heads.events.find((e) => e.orderingKey === 'zed')!;
    assert.equal(
      batch((w, now) => w.settle(zed, { kind: 'dead' }, { ...RECORD, error: 'HTTP 500' }, now)),
      true,
    );
    const dead = await small.listEvents({ appId: APP, state: 'dead', limit: 10 });
    assert.deepEqual([ids(dead.rows), dead.scannedDownTo], [[2], undefined], 'from the dead index');
    const attempts = await small.listAttempts({ appId: APP, account: 'zed', limit: 10 });
    assert.deepEqual([attempts?.rows.map((a) => a.eventId), attempts?.scannedDownTo], [[zed.eventId], undefined]);
    await assert.rejects(
      small.listEvents({ appId: APP, state: "x' OR 1=1 --" as 'dead', limit: 10 }),
      /unknown event state/,
    );
    assert.equal(
      store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'callback_events_account'").pluck().get(),
      0,
      'no index on every event’s account',
    );
  });
});
