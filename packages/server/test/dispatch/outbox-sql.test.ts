/**
 * The outbox SQL on a real SQLite file and on a real PostgreSQL schema: claims take only heads (strict per-key order,
 * parking), leases are fenced by owner and attempt, expired leases are claimable again (crash recovery),
 * release/replay/prune/repair behave.
 */
import assert from 'node:assert/strict';
import type { ClaimedEvent, ClaimResult } from '../../src/dispatch/outbox.ts';
import type { CallbackEventInput } from '../../src/store/callback-event-input.ts';
import { postgresHarness, sqliteHarness, type OutboxHarness } from './helpers/outbox-harness.ts';
import { afterEach, beforeEach, describe, it } from 'node:test';

const APP = 7;
const OTHER_APP = 8;
const ORIGIN = { clientIp: '10.0.0.1', optPlatform: 'RESTAPI' };
const RECORD = { url: 'http://receiver/', startedAt: 0, latencyMs: 1.5, status: 200 };

/** The suite on one store; `manyNodes`: several processes share the database (PostgreSQL). */
function outboxSql(name: string, manyNodes: boolean, open: (clock: () => number) => Promise<OutboxHarness>): void {
  describe(`outbox SQL: ${name}`, () => {
    let h: OutboxHarness;
    let clock: number;

    beforeEach(async () => {
      clock = 1_000_000;
      h = await open(() => clock);
    });
    afterEach(async () => {
      await h.close();
    });

    /** Writes events directly, the way a read report's transaction does. */
    async function insert(appId: number, keys: string[]): Promise<void> {
      const events: CallbackEventInput[] = keys.map((k, i) => ({
        command: 'C2C.CallbackAfterMsgReport',
        orderingKey: k,
        payload: { Report_Account: k, n: i },
        origin: ORIGIN,
      }));
      await h.insert(appId, events, clock);
    }
    const claim = (limit: number, owner = 'me', appId = APP, leaseMs = 60_000): Promise<ClaimResult> =>
      h.claim(owner, appId, limit, leaseMs);
    const keysOf = (r: ClaimResult) =>
      r.events.map((e) => `${e.orderingKey}#${(JSON.parse(e.body) as { n: number }).n}`);
    const deliver = (e: ClaimedEvent) => h.settle(e, { kind: 'delivered' }, RECORD);
    const row = (id: number) => h.row(id);

    it('claims only the head of each ordering key, and the next one only after the previous is settled', async () => {
      await insert(APP, ['alice', 'alice', 'bob', 'alice', 'bob']);
      const first = await claim(10);
      assert.deepEqual(keysOf(first), ['alice#0', 'bob#2']);
      assert.deepEqual(keysOf(await claim(10)), [], 'the heads are leased, the rest parked');
      assert.equal((await row(2)).parked, 1);
      assert.equal((await row(5)).parked, 1);
      assert.equal(await deliver(first.events[0]!), true);
      assert.equal((await row(2)).parked, 0, 'delivering alice#0 unparks alice#1');
      assert.deepEqual(keysOf(await claim(10)), ['alice#1']);
      assert.equal(await h.settle(first.events[1]!, { kind: 'dead' }, { ...RECORD, error: 'HTTP 500' }), true);
      assert.deepEqual(keysOf(await claim(10)), ['bob#4'], 'a dead head lets the next one go');
    });

    it('keeps the key waiting while its head retries, and claims the head again once due', async () => {
      await insert(APP, ['alice', 'alice']);
      const [e] = (await claim(10)).events;
      await h.settle(e!, { kind: 'retry', nextAttemptAt: clock + 5000 }, { ...RECORD, status: 500 });
      assert.deepEqual(keysOf(await claim(10)), [], 'not due yet, and alice#1 waits');
      clock += 5000;
      const again = await claim(10);
      assert.deepEqual(keysOf(again), ['alice#0']);
      assert.equal(again.events[0]!.attempt, 2);
      assert.equal(again.events[0]!.scheduleAttempt, 2);
    });

    it('fences settle and release by lease owner and attempt; an expired lease is claimable again', async () => {
      await insert(APP, ['alice']);
      const [mine] = (await claim(1, 'crashed-process', APP, 10_000)).events;
      assert.equal((await claim(1, 'other')).events.length, 0, 'leased');
      clock += 10_001;
      const [theirs] = (await claim(1, 'other')).events;
      assert.ok(theirs, 'the expired lease is claimed again (crash recovery)');
      assert.equal(theirs.attempt, 2);
      assert.equal(await deliver(mine!), false, 'the stale owner cannot settle');
      assert.equal(await h.release(mine!), false, 'nor release');
      assert.equal((await row(1)).state, 'pending');
      assert.equal(await deliver(theirs), true);
      assert.equal((await row(1)).state, 'delivered');
      const attempts = await h.query('SELECT attempt, outcome FROM callback_attempts ORDER BY id');
      assert.deepEqual(attempts, [
        { attempt: 1, outcome: 'delivered' },
        { attempt: 2, outcome: 'delivered' },
      ]);
    });

    it('at start, ends the leases of a process that is gone at once', async () => {
      await insert(APP, ['alice', 'alice']);
      const [e] = (await claim(1, 'previous-process')).events;
      assert.equal((await claim(1, 'me')).events.length, 0);
      // SQLite: the exclusive lock proves the previous process gone; PostgreSQL: nobody holds its liveness lock.
      assert.deepEqual(await h.outbox.recover('me'), { leases: 1, parked: 0 });
      const [again] = (await claim(1, 'me')).events;
      assert.equal(again!.rowId, e!.rowId, 'the interrupted head goes first, without waiting for its lease');
      assert.equal(again!.attempt, 2, 'its attempt number moves on');
      assert.equal(again!.scheduleAttempt, 1, 'the interrupted attempt does not use the retry schedule');
    });

    if (manyNodes) {
      it('leaves the leases of a live node alone until they expire', async () => {
        await insert(APP, ['alice']);
        await h.liveOwner!('live-node');
        const [e] = (await claim(1, 'live-node', APP, 10_000)).events;
        assert.deepEqual(await h.outbox.recover('me'), { leases: 0, parked: 0 }, 'a live node keeps its lease');
        assert.equal((await claim(1, 'me')).events.length, 0);
        clock += 10_000;
        const [taken] = (await claim(1, 'me')).events;
        assert.equal(taken?.rowId, e!.rowId, 'once expired, any claim takes it over');
        assert.equal(taken.scheduleAttempt, 1, 'the interrupted attempt does not use the retry schedule');
        assert.equal(await deliver(e!), false, 'and the live node’s late settle changes nothing');
      });
    }

    it('release makes a claimed event due again without using an attempt; aborted keeps the count off the schedule', async () => {
      await insert(APP, ['alice']);
      const [e] = (await claim(1)).events;
      assert.equal(await h.release(e!), true);
      assert.deepEqual(await row(1), {
        state: 'pending',
        attempts: 0,
        parked: 0,
        next_attempt_at: clock,
        lease_owner: null,
      });
      const [again] = (await claim(1)).events;
      assert.equal(again!.attempt, 1);
      await h.settle(again!, { kind: 'aborted' }, { ...RECORD, error: 'aborted: server stopping' });
      const [third] = (await claim(1)).events;
      assert.equal(third!.attempt, 2, 'X-Readwire-Attempt keeps counting');
      assert.equal(third!.scheduleAttempt, 1, 'but the aborted attempt does not use the retry schedule');
    });

    it('apps never share claims, and one app’s limit leaves the other untouched', async () => {
      await insert(APP, ['a1', 'a2', 'a3']);
      await insert(OTHER_APP, ['b1']);
      assert.deepEqual(keysOf(await claim(2)), ['a1#0', 'a2#1']);
      assert.deepEqual(keysOf(await claim(5, 'me', OTHER_APP)), ['b1#0']);
      assert.deepEqual(keysOf(await claim(5)), ['a3#2']);
    });

    it('parks a long backlog behind one key once, and reports the next due time', async () => {
      await insert(
        APP,
        Array.from({ length: 300 }, () => 'hot'),
      );
      const r = await claim(10);
      assert.equal(r.events.length, 1);
      assert.equal(r.nextDueAt, clock + 60_000, 'the in-flight head is the next due (its lease end)');
      const [parked] = await h.query<{ n: number }>('SELECT count(*) AS n FROM callback_events WHERE parked = 1');
      assert.equal(parked!.n, 299);
      assert.ok(await h.dueIndexUsed(), 'claims read callback_events_due');
      await deliver(r.events[0]!);
      assert.deepEqual(keysOf(await claim(10)), ['hot#1']);
    });

    it('replays delivered and dead events with a fresh schedule, repairs stray parked heads, prunes delivered only', async () => {
      await insert(APP, ['alice', 'bob', 'carol']);
      const [a, b, c] = (await claim(3)).events;
      await deliver(a!);
      await h.settle(b!, { kind: 'dead' }, RECORD);
      assert.equal((await h.outbox.replayEvent(APP, 'no-such-id')).found, false);
      assert.deepEqual(await h.outbox.replayEvent(APP, a!.eventId), {
        found: true,
        previousState: 'delivered',
        replayed: true,
      });
      assert.deepEqual(await h.outbox.replayEvent(APP, c!.eventId), {
        found: true,
        previousState: 'pending',
        replayed: false,
      });
      assert.equal(await h.outbox.replayDead({ appId: APP, account: 'nobody' }), 0);
      assert.equal(await h.outbox.replayDead({ appId: APP }), 1);
      const again = (await claim(5)).events;
      assert.deepEqual(
        again.map((e) => [e.orderingKey, e.attempt, e.scheduleAttempt]),
        [
          ['alice', 2, 1],
          ['bob', 2, 1],
        ],
      );
      await deliver(again[0]!);
      await deliver(again[1]!);
      await deliver(c!);
      await h.exec("UPDATE callback_events SET parked = 1, state = 'pending' WHERE id = 3");
      assert.deepEqual(await h.outbox.recover('me'), { leases: 0, parked: 1 });
      await h.exec("UPDATE callback_events SET state = 'dead', parked = 0 WHERE id = 3");
      clock += 1000;
      assert.equal(await h.outbox.pruneDelivered(clock, 100), 2, 'delivered events go');
      assert.deepEqual(
        await h.query('SELECT id, state FROM callback_events'),
        [{ id: 3, state: 'dead' }],
        'dead events stay',
      );
      const [left] = await h.query<{ n: number }>('SELECT count(*) AS n FROM callback_attempts WHERE event_row <> 3');
      assert.equal(left!.n, 0);
    });

    it('pages an index-less listing through bounded windows, and lists pending or dead events of an account at once', async () => {
      const small = h.withWindow(4);
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
      const heads = await claim(20);
      const zed = heads.events.find((e) => e.orderingKey === 'zed')!;
      assert.equal(await h.settle(zed, { kind: 'dead' }, { ...RECORD, error: 'HTTP 500' }), true);
      const dead = await small.listEvents({ appId: APP, state: 'dead', limit: 10 });
      assert.deepEqual([ids(dead.rows), dead.scannedDownTo], [[2], undefined], 'from the dead index');
      const attempts = await small.listAttempts({ appId: APP, account: 'zed', limit: 10 });
      assert.deepEqual([attempts?.rows.map((a) => a.eventId), attempts?.scannedDownTo], [[zed.eventId], undefined]);
      await assert.rejects(
        small.listEvents({ appId: APP, state: "x' OR 1=1 --" as 'dead', limit: 10 }),
        /unknown event state/,
      );
      assert.equal(await h.hasIndex('callback_events_account'), false, 'no index on every event’s account');
    });
  });
}

outboxSql('SQLite', false, (clock) => Promise.resolve(sqliteHarness(clock)));
outboxSql('PostgreSQL', true, (clock) => postgresHarness(clock));
