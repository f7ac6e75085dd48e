/**
 * The PostgreSQL store's group commit: concurrent writes of one node share transactions, each is acknowledged only
 * after its transaction committed, counts and sync-log entries stay exact, and a write that fails inside a shared
 * transaction fails alone while the others commit.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImError } from '../../src/errors/im-error.ts';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { freshPgStore } from '../helpers/pg-test-db.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage } from './helpers/fixtures.ts';

const APP = 1600100000;
const READERS = Array.from({ length: 120 }, (_, i) => `g${i}`);
const READ_EFFECTS = { kind: 'read' as const, enabledCallbacks: ['C2C.CallbackAfterMsgReport'], origin: ORIGIN };

describe('PostgreSQL store: group commit', () => {
  let store: PostgresStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    const fresh = await freshPgStore({ poolSize: 4 });
    store = fresh.store;
    cleanup = () => fresh.cleanup();
    await store.importAccounts(
      APP,
      [...READERS, 'peer'].map((userId) => ({ userId })),
    );
  });
  after(() => cleanup());

  it('concurrent read reports share transactions and every one commits with exact counts', async () => {
    for (const u of READERS.slice(0, 10)) await store.startSyncLog(APP, u);
    await Promise.all(
      READERS.map((u) => store.sendMessage(APP, u, newMessage('peer'), { dedupWindowSeconds: DEDUP_WINDOW })),
    );
    const headBefore = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
    const before = store.commitStats;
    const results = await Promise.all(
      READERS.map((u) => store.setRead(APP, { reporter: u, peer: 'peer', origin: ORIGIN }, { effects: READ_EFFECTS })),
    );
    const stats = store.commitStats;
    assert.equal(stats.writes - before.writes, READERS.length, 'every report committed');
    assert.ok(stats.batches - before.batches < READERS.length, 'some reports shared a transaction');
    assert.deepEqual(
      results.map((r) => [r.conversationUnread, r.unreadTotal, r.advanced]),
      READERS.map(() => [0, 0, true]),
    );
    const events = await store.inspect<{ n: number }>(
      `SELECT count(*)::int AS n FROM callback_events WHERE app_id = $1 AND command = 'C2C.CallbackAfterMsgReport'`,
      APP,
    );
    assert.equal(events[0]!.n, READERS.length, 'one callback event per report');
    const page = await store.readSyncEvents({ after: headBefore, limit: 1000, appId: APP });
    assert.deepEqual(
      page.events.map((e) => e.userId).sort(),
      READERS.slice(0, 10).sort(),
      'one sync entry per report of a user with a log, none for the others',
    );
    assert.deepEqual(
      page.events.map((e) => e.seq),
      page.events.map((_, i) => headBefore + i + 1),
      'seqs without gaps',
    );
    const totals = await store.inspect(`SELECT user_id FROM accounts WHERE app_id = $1 AND unread_total <> 0`, APP);
    assert.deepEqual(totals, [], 'every total is 0 after the reports');
  });

  it('a write that fails inside a shared transaction fails alone; the others commit', async () => {
    const before = store.commitStats;
    const calls = READERS.map((u, i) =>
      store.setRead(APP, { reporter: i % 10 === 0 ? `missing${i}` : u, peer: 'peer', origin: ORIGIN }),
    );
    const settled = await Promise.allSettled(calls);
    const rejected = settled.flatMap((s, i): [number, unknown][] => (s.status === 'rejected' ? [[i, s.reason]] : []));
    assert.deepEqual(
      rejected.map(([i]) => i),
      READERS.flatMap((_, i) => (i % 10 === 0 ? [i] : [])),
      'exactly the reports of unknown accounts fail',
    );
    for (const [, reason] of rejected) {
      assert.ok(reason instanceof ImError);
      assert.equal(reason.code, 'FROM_ACCOUNT_INVALID');
    }
    const stats = store.commitStats;
    assert.equal(stats.writes - before.writes, READERS.length - rejected.length, 'the others committed');
    assert.ok(stats.fallbacks > before.fallbacks, 'a shared transaction failed and its writes ran alone');
    const conversations = await store.inspect(`SELECT owner FROM conversations WHERE owner LIKE 'missing%'`);
    assert.deepEqual(conversations, [], 'a failed report leaves no row behind');
  });
});
