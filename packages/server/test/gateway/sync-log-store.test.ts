/**
 * The store side of the gateway: the per-user sync log (written only for users with a log, counts read inside the
 * transaction, pruning and its horizon) and the conversation/message listings.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewMessage } from '../../src/domain/types.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { newMessage } from '../store/helpers/fixtures.ts';
import { after, before, describe, it } from 'node:test';

const APP = 1400000005;
const ORIGIN = { clientIp: '127.0.0.1', optPlatform: 'Web' };
/** A message from `from` as the gateway would send it (`ORIGIN`), with `overrides`. */
function message(from: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return newMessage(from, { cloudCustomData: '', origin: ORIGIN, ...overrides });
}

let store: SqliteStore;
const send = (from: string, to: string, overrides: Partial<NewMessage> = {}) => {
  const m = message(from, overrides);
  return store.sendMessage(APP, to, m, {
    dedupWindowSeconds: 120,
    effects: { kind: 'send', enabledCallbacks: [], message: m },
  });
};

before(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.importAccounts(
    APP,
    ['ann', 'bob', 'cid', 'rest-only'].map((userId) => ({ userId })),
  );
  await store.startSyncLog(APP, 'ann');
  await store.startSyncLog(APP, 'bob');
});
after(() => store.close());

describe('sync log', () => {
  it('logs messages for users with a log, with the recipient’s counts read in the same transaction', async () => {
    const start = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
    await send('ann', 'bob');
    await send('ann', 'bob');
    await send('rest-only', 'cid');
    await send('ann', 'rest-only');
    const page = await store.readSyncEvents({ appId: APP, userId: 'bob', after: start, limit: 10 });
    assert.deepEqual(
      page.events.map((e) => e.data.unread),
      [
        { peer: 'ann', conversation: 1, total: 1 },
        { peer: 'ann', conversation: 2, total: 2 },
      ],
    );
    assert.equal(page.events[0]!.message?.from, 'ann');
    const all = await store.readSyncEvents({ after: start, limit: 100 });
    assert.deepEqual(
      all.events.map((e) => `${e.userId}:${e.kind}`),
      ['bob:message', 'ann:message', 'bob:message', 'ann:message', 'ann:message'],
    );
    assert.equal(all.head, all.events.at(-1)!.seq);
  });

  it('logs a read as unread counts for the reader and a receipt for the peer; a repeated read adds nothing', async () => {
    const start = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
    const read = () =>
      store.setRead(
        APP,
        { reporter: 'bob', peer: 'ann', readTime: 1, origin: ORIGIN },
        { effects: { kind: 'read', enabledCallbacks: [], origin: ORIGIN } },
      );
    await read();
    await read();
    const all = await store.readSyncEvents({ after: start, limit: 100 });
    assert.deepEqual(
      all.events.map((e) => [e.userId, e.kind, e.data]),
      [
        ['bob', 'unread', { peer: 'ann', readTime: 1, unread: { peer: 'ann', conversation: 2, total: 2 } }],
        ['ann', 'peerRead', { peer: 'bob', readTime: 1 }],
      ],
    );
  });

  it('prunes old entries and raises the horizon; the head never goes back', async () => {
    const before = await store.readSyncEvents({ after: 0, limit: 0 });
    assert.ok((await store.pruneSyncEvents(Date.now() + 1000)) > 0);
    const after = await store.readSyncEvents({ after: 0, limit: 100 });
    assert.equal(after.events.length, 0);
    assert.equal(after.head, before.head);
    assert.equal(after.horizon, before.head);
    await send('ann', 'bob');
    assert.equal((await store.readSyncEvents({ after: 0, limit: 0 })).head, before.head + 2);
  });
});

describe('listings', () => {
  it('lists conversations by last message with counts and both read times', async () => {
    const page = await store.listConversations(APP, 'bob', { limit: 10 });
    assert.deepEqual(
      page.conversations.map((c) => [c.peer, c.unread, c.readTime, c.peerReadTime]),
      [['ann', 3, 1, 0]],
    );
    const annView = await store.listConversations(APP, 'ann', { limit: 10 });
    assert.deepEqual(
      annView.conversations.map((c) => [c.peer, c.peerReadTime]),
      [
        ['bob', 1],
        ['rest-only', 0],
      ],
    );
  });

  it('pages messages newest first and leaves SyncOtherMachine 2 sends out of the sender’s view', async () => {
    await send('cid', 'bob', { syncOtherMachine: 2 });
    await send('bob', 'cid', { syncOtherMachine: 2 });
    const cidView = await store.listMessages(APP, 'cid', 'bob', { limit: 10 });
    assert.deepEqual(
      cidView.messages.map((m) => m.from),
      ['bob'],
    );
    const bobView = await store.listMessages(APP, 'bob', 'cid', { limit: 10 });
    assert.deepEqual(
      bobView.messages.map((m) => m.from),
      ['cid'],
    );
    const p1 = await store.listMessages(APP, 'bob', 'ann', { limit: 2 });
    const p2 = await store.listMessages(APP, 'bob', 'ann', { limit: 2, before: p1.next });
    assert.equal(p1.messages.length, 2);
    assert.equal(p2.messages.length, 1);
    assert.equal(p2.next, undefined);
    assert.ok(p1.messages[0]!.id > p1.messages[1]!.id && p1.messages[1]!.id > p2.messages[0]!.id);
    await assert.rejects(store.listMessages(APP, 'bob', 'nobody', { limit: 1 }), { errorCode: 90003 });
  });
});

describe('sync log: apps without logs', () => {
  it('writes nothing for an app whose users never logged in, and logs an app from its first login, also after a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readwire-sync-'));
    const path = join(dir, 'readwire.db');
    const other = APP + 1;
    const sendIn = (s: SqliteStore, app: number, from: string, to: string) => {
      const m = message(from);
      return s.sendMessage(app, to, m, {
        dedupWindowSeconds: 120,
        effects: { kind: 'send', enabledCallbacks: [], message: m },
      });
    };
    const entries = async (s: SqliteStore, app: number, user: string) =>
      (await s.readSyncEvents({ appId: app, userId: user, after: 0, limit: 100 })).events.length;
    let s = new SqliteStore({ path });
    try {
      for (const app of [APP, other]) await s.importAccounts(app, [{ userId: 'ann' }, { userId: 'bob' }]);
      await sendIn(s, other, 'ann', 'bob');
      assert.equal((await s.readSyncEvents({ after: 0, limit: 100 })).events.length, 0);
      await s.startSyncLog(APP, 'bob');
      await sendIn(s, APP, 'ann', 'bob');
      await sendIn(s, other, 'ann', 'bob');
      assert.equal(await entries(s, APP, 'bob'), 1);
      assert.equal(await entries(s, other, 'bob'), 0, 'a log in one app starts none in another');
      await s.close();
      s = new SqliteStore({ path });
      await sendIn(s, APP, 'ann', 'bob');
      assert.equal(await entries(s, APP, 'bob'), 2, 'the reopened store still logs for bob');
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
