/**
 * The storage contract suite: every behaviour the core relies on, written against the `Store` interface only, so any
 * implementation (SQLite today, PostgreSQL later) runs it unchanged:
 *
 * ```ts
 * storeContract('postgres', async () => ({ store: await PgStore.open(...), cleanup: async () => { ... } }));
 * ```
 *
 * `makeStore` must return an empty store (no accounts, no messages, in any app); `cleanup` must close it (it may
 * already be closed) and release whatever it used. Writes are awaited one by one unless a test says otherwise, so the
 * suite needs no ordering guarantee between concurrent calls.
 * @module
 */
import assert from 'node:assert/strict';
import type { NewMessage, Origin, ReadResult, RoamQuery, SendResult, StoredMessage } from '../../src/domain/types.ts';
import { ErrorCatalog, type ErrorName } from '../../src/errors/error-catalog.ts';
import { ImError } from '../../src/errors/im-error.ts';
import type { Store } from '../../src/store/store.ts';
import {
  DEDUP_WINDOW,
  ORIGIN,
  newMessage,
  nowSeconds,
  textBody,
  untilSecond,
  withinOneSecond,
} from './helpers/fixtures.ts';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { deleteConversationContract } from './contract/delete-conversation-contract.ts';
import { importModifyContract } from './contract/import-modify-contract.ts';
import { kickStateContract } from './contract/kick-state-contract.ts';
import { readAllContract } from './contract/read-all-contract.ts';
import { readReceiptsContract } from './contract/read-receipts-contract.ts';

/** What `makeStore` returns. */
export interface StoreFixture {
  store: Store;
  /** Closes the store (it may already be closed) and removes what it used. */
  cleanup(): Promise<void>;
}

const APP = 1400000001;
const OTHER_APP = 1400000002;
const USERS = ['alice', 'bob', 'carol', 'dave'];
/** Never imported. */
const GHOST = 'ghost';
const MAX_TIME = 2 ** 32 - 1;
/** Every callback command an effect plan can produce. */
const ALL_CALLBACKS = ['C2C.CallbackAfterSendMsg', 'C2C.CallbackAfterMsgReport', 'C2C.CallbackAfterMsgWithDraw'];
/**
 * An origin without a client address: a callback event from it cannot be written (plain data, still
 * structured-cloneable), so a plan that produces one fails inside the write's transaction.
 */
const NO_CLIENT_IP = { clientIp: null, optPlatform: 'RESTAPI' } as unknown as Origin;

/** Asserts that `call` returns a promise (no synchronous throw) rejecting with the catalogued `ImError` `code`. */
async function rejectsWith(call: () => Promise<unknown>, code: ErrorName, what: string = code): Promise<void> {
  let pending: Promise<unknown>;
  try {
    pending = call();
  } catch (error) {
    assert.fail(`${what}: threw synchronously instead of returning a rejected promise: ${String(error)}`);
  }
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof ImError, `${what}: expected an ImError, got ${String(error)}`);
    assert.equal(error.code, code, what);
    assert.equal(error.errorCode, ErrorCatalog[code].code, what);
    return true;
  });
}

export function storeContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      await store.importAccounts(
        APP,
        USERS.map((userId) => ({ userId })),
      );
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    // ---- helpers bound to the current store ----

    const send = (to: string, m: NewMessage, app = APP): Promise<SendResult> =>
      store.sendMessage(app, to, m, { dedupWindowSeconds: DEDUP_WINDOW });

    const read = (reporter: string, peer: string, readTime?: number, app = APP): Promise<ReadResult> =>
      store.setRead(app, { reporter, peer, readTime, origin: ORIGIN });

    const recall = (m: StoredMessage, app = APP) =>
      store.withdrawMessage(app, { from: m.from, to: m.to, msgKey: m.msgKey, origin: ORIGIN });

    /** `user`'s total and per-peer unread over every other known user. */
    async function counts(user: string, app = APP): Promise<{ total: number; per: Record<string, number> }> {
      const peers = USERS.filter((u) => u !== user);
      const c = await store.getUnread(app, user, peers);
      assert.deepEqual(c.missingPeers, []);
      const per: Record<string, number> = {};
      for (const p of c.perPeer) per[p.peer] = p.unread;
      assert.deepEqual(Object.keys(per).sort(), [...peers].sort(), 'one count per requested peer');
      return { total: c.total, per };
    }

    /** Asserts `user`'s total and the listed per-peer counts (unlisted peers must be 0); the total is their sum. */
    async function expectUnread(user: string, per: Record<string, number>, app = APP): Promise<void> {
      const c = await counts(user, app);
      const expected: Record<string, number> = {};
      for (const p of USERS) if (p !== user) expected[p] = per[p] ?? 0;
      assert.deepEqual(c.per, expected, `${user}'s per-conversation unread`);
      const total = Object.values(expected).reduce((a, b) => a + b, 0);
      assert.equal(c.total, total, `${user}'s total unread`);
    }

    async function expectNoUnreadAnywhere(app = APP): Promise<void> {
      for (const u of USERS) await expectUnread(u, {}, app);
    }

    const roam = (from: string, to: string, extra: Partial<RoamQuery> = {}, app = APP) =>
      store.getRoamMessages(app, { from, to, maxCnt: 1000, minTime: 0, maxTime: MAX_TIME, ...extra });

    async function roamKeys(from: string, to: string, app = APP): Promise<string[]> {
      const page = await roam(from, to, {}, app);
      assert.equal(page.complete, true);
      return page.messages.map((m) => m.msgKey);
    }

    // ---- accounts ----

    describe('accounts', () => {
      it('existingAccounts returns the imported subset', async () => {
        const found = await store.existingAccounts(APP, ['alice', GHOST, 'dave', 'Alice']);
        assert.deepEqual([...found].sort(), ['alice', 'dave']);
        assert.deepEqual([...(await store.existingAccounts(APP, []))], []);
      });

      it('re-import keeps one account with its counts and a new account starts at zero', async () => {
        await send('bob', newMessage('alice'));
        await store.importAccounts(APP, [{ userId: 'bob', nick: 'Bob', faceUrl: 'https://example.com/b.png' }]);
        await store.importAccounts(APP, [{ userId: 'bob', nick: 'Bobby' }, { userId: 'erin' }]);
        await expectUnread('bob', { alice: 1 });
        assert.deepEqual([...(await store.existingAccounts(APP, ['bob', 'erin']))].sort(), ['bob', 'erin']);
        assert.deepEqual(await store.getUnread(APP, 'erin'), { total: 0, perPeer: [], missingPeers: [] });
      });
    });

    // ---- sendMessage ----

    describe('sendMessage', () => {
      it('stores the message and counts it for the recipient only', async () => {
        const before = nowSeconds();
        const m = newMessage('alice', { cloudCustomData: 'custom', syncOtherMachine: 1 });
        const r = await send('bob', m);
        assert.equal(r.duplicate, false);
        assert.equal(r.recipientUnreadTotal, 1);
        const s = r.message;
        assert.equal(s.from, 'alice');
        assert.equal(s.to, 'bob');
        assert.equal(s.msgSeq, m.msgSeq);
        assert.equal(s.msgRandom, m.msgRandom);
        assert.deepEqual(s.body, m.body);
        assert.equal(s.cloudCustomData, 'custom');
        assert.equal(s.recalled, false);
        assert.equal(s.countsUnread, true);
        assert.equal(s.syncOtherMachine, 1);
        assert.equal(typeof s.msgKey, 'string');
        assert.ok(s.msgKey.length > 0 && s.msgKey.length <= 50, 'MsgKey is 1..50 characters');
        assert.ok(s.msgTime >= before && s.msgTime <= nowSeconds(), 'msgTime is the current Unix second');
        await expectUnread('bob', { alice: 1 });
        await expectUnread('alice', {});
        // What roaming returns is what sendMessage returned.
        assert.deepEqual((await roam('alice', 'bob')).messages, [s]);
      });

      it('a missing CloudCustomData is stored as an empty string', async () => {
        const r = await send('bob', newMessage('alice', { cloudCustomData: undefined }));
        assert.equal(r.message.cloudCustomData, '');
        assert.equal((await roam('alice', 'bob')).messages[0]!.cloudCustomData, '');
      });

      it('gives strictly increasing ids, never-decreasing times and distinct MsgKeys', async () => {
        const results: SendResult[] = [];
        for (let i = 0; i < 6; i++)
          results.push(await send(i % 2 ? 'bob' : 'alice', newMessage(i % 2 ? 'carol' : 'bob')));
        for (let i = 1; i < results.length; i++) {
          assert.ok(results[i]!.message.id > results[i - 1]!.message.id, 'ids strictly increase');
          assert.ok(results[i]!.message.msgTime >= results[i - 1]!.message.msgTime, 'msgTime never decreases');
        }
        assert.equal(new Set(results.map((r) => r.message.msgKey)).size, results.length);
      });

      it('keeps exact counts per conversation and per user across several peers', async () => {
        await send('alice', newMessage('bob'));
        await send('alice', newMessage('bob'));
        await send('alice', newMessage('carol'));
        const r = await send('alice', newMessage('dave'));
        assert.equal(r.recipientUnreadTotal, 4);
        await send('bob', newMessage('alice'));
        await expectUnread('alice', { bob: 2, carol: 1, dave: 1 });
        await expectUnread('bob', { alice: 1 });
        await expectUnread('carol', {});
      });

      it('NoUnread (countsUnread=false) is stored but never counts', async () => {
        const r = await send('bob', newMessage('alice', { countsUnread: false }));
        assert.equal(r.message.countsUnread, false);
        assert.equal(r.recipientUnreadTotal, 0);
        await expectUnread('bob', {});
        const page = await roam('alice', 'bob');
        assert.deepEqual(
          page.messages.map((m) => [m.msgKey, m.countsUnread]),
          [[r.message.msgKey, false]],
        );
        // Still not counted after a report that reads nothing.
        await read('bob', 'alice', 1);
        await expectUnread('bob', {});
      });

      it('OnlineOnlyFlag (onlineOnly) is neither stored nor counted', async () => {
        await send('bob', newMessage('alice'));
        const r = await send('bob', newMessage('alice', { onlineOnly: true }));
        assert.equal(r.duplicate, false);
        assert.equal(r.recipientUnreadTotal, 1);
        await expectUnread('bob', { alice: 1 });
        assert.equal((await roam('alice', 'bob')).messages.length, 1);
        assert.ok(!(await roamKeys('alice', 'bob')).includes(r.message.msgKey));
      });

      it('a resend within the dedup window returns the original with duplicate=true and changes nothing', async () => {
        const m = newMessage('alice');
        const original = await send('bob', m);
        await store.startSyncLog(APP, 'alice');
        await store.startSyncLog(APP, 'bob');
        const head = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
        // A duplicate changes nothing, so it reports nothing: had its plan run, its callback would have failed it.
        const dup = await store.sendMessage(APP, 'bob', m, {
          dedupWindowSeconds: DEDUP_WINDOW,
          effects: { kind: 'send', enabledCallbacks: ALL_CALLBACKS, message: { ...m, origin: NO_CLIENT_IP } },
        });
        assert.equal(dup.duplicate, true);
        assert.deepEqual(dup.message, original.message, 'the original message');
        assert.equal(dup.recipientUnreadTotal, 1);
        assert.equal((await store.readSyncEvents({ after: 0, limit: 0 })).head, head, 'no sync-log entry');
        // A structurally equal copy (same sender, MsgSeq, MsgRandom, content) is the same message.
        const copy = await send('bob', { ...m, body: textBody(String(m.body[0]!.MsgContent.Text)) });
        assert.equal(copy.duplicate, true);
        assert.equal(copy.message.msgKey, original.message.msgKey);
        await expectUnread('bob', { alice: 1 });
        assert.deepEqual(await roamKeys('alice', 'bob'), [original.message.msgKey]);
      });

      it('the same MsgSeq, MsgRandom and content to another recipient is a new message', async () => {
        const m = newMessage('alice');
        const toBob = await send('bob', m);
        const toCarol = await send('carol', m);
        assert.equal(toCarol.duplicate, false, 'a different recipient is a new message');
        assert.equal(toCarol.message.to, 'carol');
        assert.notEqual(toCarol.message.msgKey, toBob.message.msgKey);
        await expectUnread('carol', { alice: 1 });
        assert.deepEqual(await roamKeys('alice', 'carol'), [toCarol.message.msgKey]);
        // A resend to either recipient is still suppressed, and answers that recipient's own message.
        const again = await send('bob', m);
        assert.equal(again.duplicate, true);
        assert.equal(again.message.msgKey, toBob.message.msgKey);
        const againCarol = await send('carol', m);
        assert.equal(againCarol.duplicate, true);
        assert.equal(againCarol.message.msgKey, toCarol.message.msgKey);
        await expectUnread('bob', { alice: 1 });
        await expectUnread('carol', { alice: 1 });
      });

      it('a different MsgSeq, MsgRandom, content or sender is not a duplicate', async () => {
        const m = newMessage('alice');
        await send('bob', m);
        const variants: [string, string, NewMessage][] = [
          ['MsgSeq', 'alice', { ...m, msgSeq: m.msgSeq + 1 }],
          ['MsgRandom', 'alice', { ...m, msgRandom: (m.msgRandom + 1) % 2 ** 32 }],
          ['content', 'alice', newMessage('alice', { msgSeq: m.msgSeq, msgRandom: m.msgRandom, body: textBody('x') })],
          ['sender', 'carol', { ...m, from: 'carol' }],
        ];
        for (const [what, from, v] of variants) {
          const r = await send('bob', v);
          assert.equal(r.duplicate, false, `a different ${what} is a new message`);
          assert.equal(r.message.from, from);
        }
        await expectUnread('bob', { alice: 4, carol: 1 });
      });

      it('a resend after the dedup window is a new message', { timeout: 10_000 }, async () => {
        const m = newMessage('alice');
        const first = await store.sendMessage(APP, 'bob', m, { dedupWindowSeconds: 1 });
        await untilSecond(first.message.msgTime + 2);
        const second = await store.sendMessage(APP, 'bob', m, { dedupWindowSeconds: 1 });
        assert.equal(second.duplicate, false);
        assert.notEqual(second.message.msgKey, first.message.msgKey);
        await expectUnread('bob', { alice: 2 });
      });

      it('unknown accounts are rejected and change nothing', async () => {
        await rejectsWith(() => send('bob', newMessage(GHOST)), 'FROM_ACCOUNT_INVALID');
        await rejectsWith(() => send(GHOST, newMessage('alice')), 'TO_ACCOUNT_INVALID');
        await expectNoUnreadAnywhere();
        assert.deepEqual(await roamKeys('alice', 'bob'), []);
        // A rejected send does not take a duplicate-suppression slot.
        const m = newMessage('alice');
        await rejectsWith(() => send(GHOST, m), 'TO_ACCOUNT_INVALID');
        assert.equal((await send('bob', m)).duplicate, false);
      });

      it('the effect plan is written from the result, and a failing effect fails the whole write', async () => {
        await store.startSyncLog(APP, 'bob');
        const head = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
        const m = newMessage('alice');
        const ok = await store.sendMessage(APP, 'bob', m, {
          dedupWindowSeconds: DEDUP_WINDOW,
          effects: { kind: 'send', enabledCallbacks: ALL_CALLBACKS, message: m },
        });
        const logged = await store.readSyncEvents({ appId: APP, userId: 'bob', after: head, limit: 10 });
        assert.deepEqual(
          logged.events.map((e) => [e.kind, e.message?.msgKey, e.data.unread]),
          [['message', ok.message.msgKey, { peer: 'alice', conversation: 1, total: 1 }]],
          'the recipient’s entry names the stored message, with the counts after it',
        );
        const m2 = newMessage('alice');
        const failing = store.sendMessage(APP, 'bob', m2, {
          dedupWindowSeconds: DEDUP_WINDOW,
          effects: { kind: 'send', enabledCallbacks: ALL_CALLBACKS, message: { ...m2, origin: NO_CLIENT_IP } },
        });
        await assert.rejects(failing);
        await expectUnread('bob', { alice: 1 });
        assert.deepEqual(await roamKeys('alice', 'bob'), [ok.message.msgKey]);
        assert.equal((await store.readSyncEvents({ after: 0, limit: 0 })).head, logged.head, 'no sync-log entry');
      });
    });

    // ---- batchSendMessage ----

    describe('batchSendMessage', () => {
      it('stores one message per known recipient with one MsgKey/MsgTime; unknown ones fail with 70107', async () => {
        await send('carol', newMessage('dave'));
        const m = newMessage('alice');
        const r = await store.batchSendMessage(APP, ['bob', GHOST, 'carol', 'nobody'], m);
        assert.deepEqual(r.errors, [
          { to: GHOST, errorCode: 70107 },
          { to: 'nobody', errorCode: 70107 },
        ]);
        assert.deepEqual(
          r.sent.map((s) => s.message.to),
          ['bob', 'carol'],
        );
        assert.deepEqual(
          r.sent.map((s) => s.recipientUnreadTotal),
          [1, 2],
        );
        for (const s of r.sent) {
          assert.equal(s.duplicate, false);
          assert.equal(s.message.msgKey, r.msgKey);
          assert.equal(s.message.msgTime, r.msgTime);
          assert.equal(s.message.from, 'alice');
          assert.deepEqual(s.message.body, m.body);
          assert.deepEqual((await roam('alice', s.message.to)).messages, [s.message]);
        }
        await expectUnread('bob', { alice: 1 });
        await expectUnread('carol', { alice: 1, dave: 1 });
        await expectUnread('alice', {});
      });

      it('a recipient named twice gets one copy, which one recall removes', async () => {
        const r = await store.batchSendMessage(APP, ['bob', 'bob'], newMessage('alice'));
        assert.deepEqual(
          r.sent.map((s) => s.message.to),
          ['bob'],
        );
        await expectUnread('bob', { alice: 1 });
        await store.withdrawMessage(APP, { from: 'alice', to: 'bob', msgKey: r.msgKey, origin: ORIGIN });
        await expectUnread('bob', {});
      });

      it('an unknown sender fails the whole batch and stores nothing', async () => {
        await rejectsWith(
          () => store.batchSendMessage(APP, ['bob', 'carol'], newMessage(GHOST)),
          'FROM_ACCOUNT_INVALID',
        );
        await expectNoUnreadAnywhere();
      });

      it('NoUnread and OnlineOnly batches never count', async () => {
        const quiet = await store.batchSendMessage(APP, ['bob', 'carol'], newMessage('alice', { countsUnread: false }));
        assert.equal(quiet.sent.length, 2);
        await store.batchSendMessage(APP, ['bob', 'carol'], newMessage('alice', { onlineOnly: true }));
        await expectNoUnreadAnywhere();
        assert.deepEqual(await roamKeys('alice', 'bob'), [quiet.msgKey], 'only the NoUnread batch is stored');
      });

      it('each recipient reads and recalls its own copy', async () => {
        const r = await store.batchSendMessage(APP, ['bob', 'carol', 'dave'], newMessage('alice'));
        await read('bob', 'alice');
        const w = await recall(r.sent.find((s) => s.message.to === 'carol')!.message);
        assert.equal(w.recipientUnreadTotal, 0);
        await expectUnread('bob', {});
        await expectUnread('carol', {});
        await expectUnread('dave', { alice: 1 });
        assert.equal((await roam('alice', 'dave')).messages[0]!.recalled, false);
        assert.equal((await roam('alice', 'carol')).messages[0]!.recalled, true);
      });
    });

    // ---- setRead ----

    describe('setRead', () => {
      it('without MsgReadTime reads every message stored before it, even in the same second, and no later one', async () => {
        await withinOneSecond(600);
        const m1 = await send('bob', newMessage('alice'));
        const m2 = await send('bob', newMessage('alice'));
        const r = await read('bob', 'alice');
        const m3 = await send('bob', newMessage('alice'));
        assert.equal(m1.message.msgTime, m3.message.msgTime, 'test precondition: all in one second');
        assert.equal(m2.message.msgTime, m3.message.msgTime);
        assert.equal(r.conversationUnread, 0);
        assert.equal(r.unreadTotal, 0);
        assert.equal(r.advanced, true);
        assert.ok(r.lastReadTime >= m2.message.msgTime, 'LastReadTime covers what was read');
        assert.equal(m3.recipientUnreadTotal, 1, 'a message stored after the report is unread');
        await expectUnread('bob', { alice: 1 });
        // The next report reads it.
        const again = await read('bob', 'alice');
        assert.equal(again.conversationUnread, 0);
        await expectUnread('bob', {});
      });

      it('with MsgReadTime T reads exactly the messages with MsgTime <= T, including ones stored later', async () => {
        await withinOneSecond(600);
        const m1 = await send('bob', newMessage('alice'));
        const t = m1.message.msgTime;
        const none = await read('bob', 'alice', t - 1);
        assert.equal(none.conversationUnread, 1, 'MsgTime > T stays unread');
        assert.equal(none.lastReadTime, t - 1);
        await expectUnread('bob', { alice: 1 });
        const r = await read('bob', 'alice', t);
        assert.equal(r.conversationUnread, 0, 'MsgTime == T is read');
        assert.equal(r.unreadTotal, 0);
        assert.equal(r.lastReadTime, t);
        const m2 = await send('bob', newMessage('alice'));
        assert.equal(m2.message.msgTime, t, 'test precondition: same second');
        assert.equal(m2.recipientUnreadTotal, 0, 'stored after the report but MsgTime <= T: read');
        await expectUnread('bob', {});
      });

      it('a MsgReadTime in the future keeps new messages up to it read', async () => {
        const m1 = await send('bob', newMessage('alice'));
        const future = m1.message.msgTime + 3600;
        const r = await read('bob', 'alice', future);
        assert.equal(r.lastReadTime, future);
        assert.equal(r.conversationUnread, 0);
        assert.equal((await send('bob', newMessage('alice'))).recipientUnreadTotal, 0);
        await expectUnread('bob', {});
      });

      it('the watermark never moves backwards', async () => {
        const m1 = await send('bob', newMessage('alice'));
        const t = m1.message.msgTime;
        const first = await read('bob', 'alice', t + 100);
        assert.equal(first.lastReadTime, t + 100);
        assert.equal(first.advanced, true);
        // An older T changes nothing.
        const older = await read('bob', 'alice', t - 5);
        assert.equal(older.lastReadTime, t + 100);
        assert.equal(older.advanced, false);
        assert.equal(older.conversationUnread, 0);
        // Repeating the same T changes nothing either.
        assert.equal((await read('bob', 'alice', t + 100)).advanced, false);
        // A report without T does not lower LastReadTime below an earlier future T.
        const all = await read('bob', 'alice');
        assert.equal(all.lastReadTime, t + 100);
        await expectUnread('bob', {});
      });

      it('a later report with an older MsgReadTime does not unread messages read without one', async () => {
        await send('bob', newMessage('alice'));
        await send('bob', newMessage('alice'));
        const all = await read('bob', 'alice');
        assert.equal(all.conversationUnread, 0);
        const old = await read('bob', 'alice', 1);
        assert.equal(old.conversationUnread, 0);
        assert.equal(old.lastReadTime, all.lastReadTime);
        await expectUnread('bob', {});
        // And a report with a T older than an unread message does not re-read or un-read it.
        const m3 = await send('bob', newMessage('alice'));
        const partial = await read('bob', 'alice', m3.message.msgTime - 1);
        assert.equal(partial.conversationUnread, 1);
        await expectUnread('bob', { alice: 1 });
      });

      it('reads one conversation only, in the reporter’s direction only', async () => {
        await send('bob', newMessage('alice'));
        await send('bob', newMessage('alice'));
        await send('bob', newMessage('carol'));
        await send('alice', newMessage('bob'));
        const r = await read('bob', 'alice');
        assert.equal(r.reporter, 'bob');
        assert.equal(r.peer, 'alice');
        assert.equal(r.conversationUnread, 0);
        assert.equal(r.unreadTotal, 1, 'the carol conversation still counts');
        await expectUnread('bob', { carol: 1 });
        await expectUnread('alice', { bob: 1 }, APP);
      });

      it('reporting on a conversation without messages is valid and reads nothing new', async () => {
        const r = await read('carol', 'dave');
        assert.equal(r.conversationUnread, 0);
        assert.equal(r.unreadTotal, 0);
        await send('carol', newMessage('dave'));
        await expectUnread('carol', { dave: 1 });
      });

      it('unknown accounts are rejected and change nothing', async () => {
        await send('bob', newMessage('alice'));
        await rejectsWith(() => read(GHOST, 'alice'), 'FROM_ACCOUNT_INVALID');
        await rejectsWith(() => read('bob', GHOST), 'TO_ACCOUNT_INVALID');
        await expectUnread('bob', { alice: 1 });
      });

      it('a failing effect fails the report: the watermark does not move', async () => {
        const m1 = await send('bob', newMessage('alice'));
        await assert.rejects(
          store.setRead(
            APP,
            { reporter: 'bob', peer: 'alice', readTime: m1.message.msgTime + 100, origin: ORIGIN },
            { effects: { kind: 'read', enabledCallbacks: ALL_CALLBACKS, origin: NO_CLIENT_IP } },
          ),
        );
        await expectUnread('bob', { alice: 1 });
        // The failed report's T is not in force: a new message still counts.
        await send('bob', newMessage('alice'));
        await expectUnread('bob', { alice: 2 });
        const r = await read('bob', 'alice', m1.message.msgTime - 1);
        assert.equal(r.lastReadTime, m1.message.msgTime - 1, 'LastReadTime did not keep the failed T');
      });
    });

    // ---- getUnread ----

    describe('getUnread', () => {
      it('reports the total, requested peers and missing peers', async () => {
        await send('alice', newMessage('bob'));
        await send('alice', newMessage('carol'));
        await send('alice', newMessage('carol'));
        const c = await store.getUnread(APP, 'alice', ['carol', GHOST, 'dave', 'bob']);
        assert.equal(c.total, 3);
        assert.deepEqual(
          [...c.perPeer].sort((a, b) => a.peer.localeCompare(b.peer)),
          [
            { peer: 'bob', unread: 1 },
            { peer: 'carol', unread: 2 },
            { peer: 'dave', unread: 0 },
          ],
        );
        assert.deepEqual(c.missingPeers, [GHOST]);
        assert.deepEqual(await store.getUnread(APP, 'alice'), { total: 3, perPeer: [], missingPeers: [] });
      });

      it('an unknown user is TO_ACCOUNT_INVALID', async () => {
        await rejectsWith(() => store.getUnread(APP, GHOST), 'TO_ACCOUNT_INVALID');
        await rejectsWith(() => store.getUnread(APP, GHOST, ['alice']), 'TO_ACCOUNT_INVALID');
      });
    });

    // ---- withdrawMessage ----

    describe('withdrawMessage', () => {
      it('a recalled unread message stops counting and is flagged in roaming', async () => {
        const m1 = await send('bob', newMessage('alice'));
        await send('bob', newMessage('alice'));
        const w = await recall(m1.message);
        assert.deepEqual(w.message, { ...m1.message, recalled: true });
        assert.equal(w.recipientUnreadTotal, 1);
        await expectUnread('bob', { alice: 1 });
        const page = await roam('alice', 'bob');
        assert.deepEqual(
          page.messages.map((m) => m.recalled),
          [false, true],
        );
        assert.deepEqual(page.messages[1], w.message);
      });

      it('recalling twice is idempotent', async () => {
        const m1 = await send('bob', newMessage('alice'));
        await send('bob', newMessage('alice'));
        await recall(m1.message);
        const again = await recall(m1.message);
        assert.equal(again.message.recalled, true);
        assert.equal(again.recipientUnreadTotal, 1);
        await expectUnread('bob', { alice: 1 });
      });

      it('recalling a read or NoUnread message changes no count', async () => {
        const m1 = await send('bob', newMessage('alice'));
        await read('bob', 'alice');
        const m2 = await send('bob', newMessage('alice'));
        const quiet = await send('bob', newMessage('alice', { countsUnread: false }));
        assert.equal((await recall(m1.message)).recipientUnreadTotal, 1);
        assert.equal((await recall(quiet.message)).recipientUnreadTotal, 1);
        await expectUnread('bob', { alice: 1 });
        // Read by MsgReadTime, then recalled.
        await read('bob', 'alice', m2.message.msgTime);
        await expectUnread('bob', {});
        assert.equal((await recall(m2.message)).recipientUnreadTotal, 0);
        await expectUnread('bob', {});
      });

      it('a recalled message does not come back when a report recounts the conversation', async () => {
        const m1 = await send('bob', newMessage('alice'));
        await send('bob', newMessage('alice'));
        await recall(m1.message);
        const r = await read('bob', 'alice', m1.message.msgTime - 1);
        assert.equal(r.conversationUnread, 1);
        assert.equal(r.unreadTotal, 1);
        await expectUnread('bob', { alice: 1 });
      });

      it('unknown keys and accounts are rejected and change nothing', async () => {
        const m1 = await send('bob', newMessage('alice'));
        const req = { from: 'alice', to: 'bob', msgKey: m1.message.msgKey, origin: ORIGIN };
        await rejectsWith(() => store.withdrawMessage(APP, { ...req, msgKey: 'no_such_key' }), 'MSG_KEY_INVALID');
        await rejectsWith(() => store.withdrawMessage(APP, { ...req, to: 'carol' }), 'MSG_KEY_INVALID', 'wrong pair');
        await rejectsWith(() => store.withdrawMessage(APP, { ...req, from: GHOST }), 'FROM_ACCOUNT_INVALID');
        await rejectsWith(() => store.withdrawMessage(APP, { ...req, to: GHOST }), 'TO_ACCOUNT_INVALID');
        await expectUnread('bob', { alice: 1 });
        assert.equal((await roam('alice', 'bob')).messages[0]!.recalled, false);
      });

      it('a failing effect fails the recall', async () => {
        const m1 = await send('bob', newMessage('alice'));
        await assert.rejects(
          store.withdrawMessage(
            APP,
            { from: 'alice', to: 'bob', msgKey: m1.message.msgKey, origin: ORIGIN },
            { effects: { kind: 'withdraw', enabledCallbacks: ALL_CALLBACKS, origin: NO_CLIENT_IP } },
          ),
        );
        await expectUnread('bob', { alice: 1 });
        assert.equal((await roam('alice', 'bob')).messages[0]!.recalled, false);
        assert.equal((await recall(m1.message)).recipientUnreadTotal, 0, 'a later recall still works');
      });
    });

    // ---- getRoamMessages ----

    describe('getRoamMessages', () => {
      it('returns both directions of one pair, newest first', async () => {
        const sent: StoredMessage[] = [];
        for (let i = 0; i < 6; i++) {
          const [from, to] = i % 3 === 1 ? ['bob', 'alice'] : ['alice', 'bob'];
          sent.push((await send(to, newMessage(from))).message);
          await send('carol', newMessage(from)); // another conversation of the same accounts
        }
        await send('alice', newMessage('bob', { onlineOnly: true }));
        const newestFirst = [...sent].reverse();
        const ab = await roam('alice', 'bob');
        assert.equal(ab.complete, true);
        assert.deepEqual(ab.messages, newestFirst);
        assert.deepEqual((await roam('bob', 'alice')).messages, newestFirst, 'the same from either side');
      });

      it('pages by LastMsgKey', async () => {
        const keys: string[] = [];
        for (let i = 0; i < 5; i++)
          keys.push((await send(i % 2 ? 'alice' : 'bob', newMessage(i % 2 ? 'bob' : 'alice'))).message.msgKey);
        keys.reverse();
        const pages: string[][] = [];
        const completes: boolean[] = [];
        let last: StoredMessage | undefined;
        for (;;) {
          const page = await roam('alice', 'bob', {
            maxCnt: 2,
            maxTime: last?.msgTime ?? MAX_TIME,
            lastMsgKey: last?.msgKey,
          });
          pages.push(page.messages.map((m) => m.msgKey));
          completes.push(page.complete);
          if (page.complete) break;
          last = page.messages.at(-1);
          assert.ok(pages.length < 10, 'paging terminates');
        }
        assert.deepEqual(pages, [keys.slice(0, 2), keys.slice(2, 4), keys.slice(4)]);
        assert.deepEqual(completes, [false, false, true]);
        assert.equal((await roam('alice', 'bob', { maxCnt: 5 })).complete, true, 'exactly MaxCnt left is complete');
        assert.equal((await roam('alice', 'bob', { maxCnt: 4 })).complete, false);
      });

      it('filters by an inclusive MsgTime range', { timeout: 10_000 }, async () => {
        const a1 = (await send('bob', newMessage('alice'))).message;
        const a2 = (await send('alice', newMessage('bob'))).message;
        await untilSecond(a2.msgTime + 1);
        const b1 = (await send('bob', newMessage('alice'))).message;
        const t1 = a2.msgTime;
        const t2 = b1.msgTime;
        assert.equal(a1.msgTime, t1, 'test precondition: first two in one second');
        assert.ok(t2 > t1);
        const keys = async (minTime: number, maxTime: number) =>
          (await roam('alice', 'bob', { minTime, maxTime })).messages.map((m) => m.msgKey);
        assert.deepEqual(await keys(0, t1), [a2.msgKey, a1.msgKey]);
        assert.deepEqual(await keys(t1, t1), [a2.msgKey, a1.msgKey]);
        assert.deepEqual(await keys(t2, MAX_TIME), [b1.msgKey]);
        assert.deepEqual(await keys(t1, t2), [b1.msgKey, a2.msgKey, a1.msgKey]);
        assert.deepEqual(await keys(0, t1 - 1), []);
        assert.deepEqual(await keys(t2 + 1, MAX_TIME), []);
      });

      it('SyncOtherMachine=2 keeps a message out of the sender’s roaming only (from = the querying party)', async () => {
        const unsynced = (await send('bob', newMessage('alice', { syncOtherMachine: 2 }))).message;
        const reply = (await send('alice', newMessage('bob'))).message;
        assert.equal(unsynced.syncOtherMachine, 2);
        assert.deepEqual(
          await roamKeys('bob', 'alice'),
          [reply.msgKey, unsynced.msgKey],
          'the recipient’s roaming has it',
        );
        assert.deepEqual(await roamKeys('alice', 'bob'), [reply.msgKey], 'the sender’s roaming does not');
        await expectUnread('bob', { alice: 1 });
      });

      it('unknown accounts and keys are rejected', async () => {
        const m = await send('bob', newMessage('alice'));
        const other = await send('dave', newMessage('carol'));
        await rejectsWith(() => roam(GHOST, 'bob'), 'FROM_ACCOUNT_INVALID');
        await rejectsWith(() => roam('alice', GHOST), 'TO_ACCOUNT_INVALID');
        await rejectsWith(() => roam('alice', 'bob', { lastMsgKey: 'no_such_key' }), 'MSG_KEY_INVALID');
        await rejectsWith(
          () => roam('alice', 'bob', { lastMsgKey: other.message.msgKey }),
          'MSG_KEY_INVALID',
          'key of another conversation',
        );
        assert.deepEqual((await roam('alice', 'bob', { lastMsgKey: m.message.msgKey })).messages, []);
      });
    });

    // ---- apps ----

    describe('apps are isolated', () => {
      it('the same user ids in two apps share nothing', async () => {
        await store.importAccounts(OTHER_APP, [{ userId: 'alice' }, { userId: 'bob' }, { userId: 'carol' }]);
        const m = newMessage('alice');
        const inApp = await send('bob', m);
        assert.equal((await store.getUnread(OTHER_APP, 'bob')).total, 0);
        assert.deepEqual((await roam('alice', 'bob', {}, OTHER_APP)).messages, []);
        // Same sender, MsgSeq, MsgRandom and content in the other app is not a duplicate.
        const inOther = await send('bob', m, OTHER_APP);
        assert.equal(inOther.duplicate, false);
        assert.notEqual(inOther.message.msgKey, inApp.message.msgKey);
        assert.equal(inOther.recipientUnreadTotal, 1);
        // Reading or recalling in one app leaves the other alone.
        await read('bob', 'alice', undefined, OTHER_APP);
        await expectUnread('bob', { alice: 1 });
        await rejectsWith(() => recall(inApp.message, OTHER_APP), 'MSG_KEY_INVALID', 'key of the other app');
        await rejectsWith(
          () => roam('alice', 'bob', { lastMsgKey: inApp.message.msgKey }, OTHER_APP),
          'MSG_KEY_INVALID',
          'roam key of the other app',
        );
        await recall(inApp.message);
        assert.deepEqual(
          (await roam('alice', 'bob', {}, OTHER_APP)).messages.map((x) => x.recalled),
          [false],
        );
        await expectUnread('bob', {});
        assert.equal((await store.getUnread(OTHER_APP, 'bob')).total, 0);
        // An account imported in one app only is unknown in the other.
        assert.deepEqual([...(await store.existingAccounts(OTHER_APP, ['dave', 'alice']))], ['alice']);
        await rejectsWith(() => send('dave', newMessage('alice'), OTHER_APP), 'TO_ACCOUNT_INVALID');
        await rejectsWith(() => store.getUnread(OTHER_APP, 'dave'), 'TO_ACCOUNT_INVALID');
        const batch = await store.batchSendMessage(OTHER_APP, ['carol', 'dave'], newMessage('alice'));
        assert.deepEqual(batch.errors, [{ to: 'dave', errorCode: 70107 }]);
        await expectUnread('carol', {});
        assert.equal((await store.getUnread(OTHER_APP, 'carol')).total, 1);
      });
    });

    // ---- atomicity ----

    describe('atomicity', () => {
      it('concurrent writes with failures among them: the failures change nothing, the others all commit', async () => {
        const seed = await send('bob', newMessage('carol'));
        const failingMessage = newMessage('alice');
        const writes: [string, Promise<unknown>][] = [
          ['send alice→bob', send('bob', newMessage('alice'))],
          ['send to ghost', send(GHOST, newMessage('alice'))],
          [
            'send with failing effects',
            store.sendMessage(APP, 'carol', failingMessage, {
              dedupWindowSeconds: DEDUP_WINDOW,
              effects: {
                kind: 'send',
                enabledCallbacks: ALL_CALLBACKS,
                message: { ...failingMessage, origin: NO_CLIENT_IP },
              },
            }),
          ],
          ['read by ghost', read(GHOST, 'alice')],
          ['send dave→bob', send('bob', newMessage('dave'))],
          [
            'read with failing effects',
            store.setRead(
              APP,
              { reporter: 'bob', peer: 'carol', origin: ORIGIN },
              { effects: { kind: 'read', enabledCallbacks: ALL_CALLBACKS, origin: NO_CLIENT_IP } },
            ),
          ],
          ['batch dave→carol,alice', store.batchSendMessage(APP, ['carol', 'alice'], newMessage('dave'))],
          [
            'recall unknown key',
            store.withdrawMessage(APP, { from: 'carol', to: 'bob', msgKey: 'nope', origin: ORIGIN }),
          ],
          ['send carol→dave', send('dave', newMessage('carol'))],
        ];
        const settled = await Promise.allSettled(writes.map(([, p]) => p));
        assert.deepEqual(
          settled.map((s, i) => `${writes[i]![0]}: ${s.status}`),
          [
            'send alice→bob: fulfilled',
            'send to ghost: rejected',
            'send with failing effects: rejected',
            'read by ghost: rejected',
            'send dave→bob: fulfilled',
            'read with failing effects: rejected',
            'batch dave→carol,alice: fulfilled',
            'recall unknown key: rejected',
            'send carol→dave: fulfilled',
          ],
        );
        await expectUnread('bob', { alice: 1, carol: 1, dave: 1 });
        await expectUnread('carol', { dave: 1 });
        await expectUnread('alice', { dave: 1 });
        await expectUnread('dave', { carol: 1 });
        assert.deepEqual(await roamKeys('alice', 'carol'), []);
        assert.deepEqual(await roamKeys('carol', 'bob'), [seed.message.msgKey]);
      });
    });

    // ---- asynchrony ----

    readReceiptsContract(() => store, APP);
    readAllContract(() => store, APP);
    importModifyContract(() => store, APP);
    kickStateContract(() => store, APP);
    deleteConversationContract(() => store, APP);

    describe('close', () => {
      it('every method returns a promise, and rejects after close instead of throwing', async () => {
        await store.close();
        const calls: [string, () => Promise<unknown>][] = [
          ['importAccounts', () => store.importAccounts(APP, [{ userId: 'zed' }])],
          ['existingAccounts', () => store.existingAccounts(APP, ['alice'])],
          ['sendMessage', () => send('bob', newMessage('alice'))],
          ['batchSendMessage', () => store.batchSendMessage(APP, ['bob'], newMessage('alice'))],
          ['setRead', () => read('bob', 'alice')],
          ['getUnread', () => store.getUnread(APP, 'bob', ['alice'])],
          ['getRoamMessages', () => roam('alice', 'bob')],
          ['setReadAll', () => store.setReadAll(APP, { reporter: 'bob', origin: ORIGIN })],
          ['importMessage', () => store.importMessage(APP, 'bob', newMessage('alice'), 1)],
          ['kickAccount', () => store.kickAccount(APP, 'bob')],
          ['sigsValidAfter', () => store.sigsValidAfter(APP, 'bob')],
          [
            'deleteConversation',
            () => store.deleteConversation(APP, { owner: 'bob', peer: 'alice', clearHistory: false }),
          ],
          [
            'modifyMessage',
            () =>
              store.modifyMessage(APP, { from: 'alice', to: 'bob', msgKey: 'k', operator: 'alice', origin: ORIGIN }),
          ],
          [
            'setReadReceipts',
            () => store.setReadReceipts(APP, { reader: 'bob', peer: 'alice', msgKeys: ['k'], origin: ORIGIN }),
          ],
          [
            'withdrawMessage',
            () => store.withdrawMessage(APP, { from: 'alice', to: 'bob', msgKey: 'k', origin: ORIGIN }),
          ],
        ];
        for (const [method, call] of calls) {
          let pending: Promise<unknown>;
          try {
            pending = call();
          } catch (error) {
            assert.fail(`${method} threw synchronously after close: ${String(error)}`);
          }
          await assert.rejects(pending, `${method} rejects after close`);
        }
        await store.close(); // closing twice is harmless
      });
    });
  });
}
