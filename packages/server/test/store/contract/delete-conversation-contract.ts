/**
 * Contract cases of `Store.deleteConversation` (`recentcontact/delete`), run by `storeContract` on every store.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImError } from '../../../src/errors/im-error.ts';
import type { Store } from '../../../src/store/store.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage } from '../helpers/fixtures.ts';

const MAX_TIME = 2 ** 32 - 1;

/** `store()` is the current test's store, with accounts alice, bob, carol, dave imported in `app`. */
export function deleteConversationContract(store: () => Store, app: number): void {
  const send = (from: string, to: string) =>
    store().sendMessage(app, to, newMessage(from), { dedupWindowSeconds: DEDUP_WINDOW });
  const peers = async (owner: string) =>
    (await store().listConversations(app, owner, { limit: 10 })).conversations.map((c) => [c.peer, c.unread]);
  const roamKeys = async (from: string, to: string) =>
    (await store().getRoamMessages(app, { from, to, maxCnt: 100, minTime: 0, maxTime: MAX_TIME })).messages.map(
      (m) => m.msgKey,
    );
  const pageKeys = async (owner: string, peer: string) =>
    (await store().listMessages(app, owner, peer, { limit: 10 })).messages.map((m) => m.msgKey);

  describe('deleteConversation', () => {
    it('takes the conversation off the owner’s list with its unread count; the next message brings it back', async () => {
      await send('alice', 'bob');
      await send('alice', 'bob');
      await send('carol', 'bob');
      const r = await store().deleteConversation(app, { owner: 'bob', peer: 'alice', clearHistory: false });
      assert.deepEqual(r, { owner: 'bob', peer: 'alice', existed: true, unreadTotal: 1 });
      assert.deepEqual(await peers('bob'), [['carol', 1]]);
      const bob = await store().getUnread(app, 'bob', ['alice', 'carol']);
      assert.deepEqual([bob.total, ...bob.perPeer.map((p) => p.unread)], [1, 0, 1]);
      assert.deepEqual(await peers('alice'), [['bob', 0]], 'the peer’s list is untouched');
      assert.equal((await roamKeys('bob', 'alice')).length, 2, 'without clearing, the history stays');
      const next = await send('alice', 'bob');
      assert.deepEqual(await peers('bob'), [
        ['alice', 1],
        ['carol', 1],
      ]);
      assert.equal(next.recipientUnreadTotal, 2, 'only the new message counts');
      const read = await store().setRead(app, { reporter: 'bob', peer: 'alice', readTime: 1, origin: ORIGIN });
      assert.equal(read.conversationUnread, 1, 'a recount above an old MsgReadTime finds only the new message');
    });

    it('with clearHistory, the owner’s view of the messages so far is gone; the peer keeps them', async () => {
      const old = [(await send('alice', 'bob')).message.msgKey, (await send('bob', 'alice')).message.msgKey];
      await store().deleteConversation(app, { owner: 'bob', peer: 'alice', clearHistory: true });
      assert.deepEqual(await roamKeys('bob', 'alice'), []);
      assert.deepEqual(await pageKeys('bob', 'alice'), []);
      assert.deepEqual(await roamKeys('alice', 'bob'), [...old].reverse());
      assert.deepEqual(await pageKeys('alice', 'bob'), [...old].reverse());
      const later = (await send('alice', 'bob')).message.msgKey;
      assert.deepEqual(await roamKeys('bob', 'alice'), [later]);
      assert.deepEqual(await pageKeys('bob', 'alice'), [later]);
      const [first] = (await store().listConversations(app, 'bob', { limit: 10 })).conversations;
      assert.equal(first?.lastMessage?.msgKey, later);
    });

    it('changes nothing without a conversation, and refuses an owner that is not an account', async () => {
      await send('alice', 'bob');
      const none = await store().deleteConversation(app, { owner: 'bob', peer: 'ghost', clearHistory: true });
      assert.deepEqual(none, { owner: 'bob', peer: 'ghost', existed: false, unreadTotal: 1 });
      const again = await store().deleteConversation(app, { owner: 'bob', peer: 'alice', clearHistory: false });
      assert.equal(again.existed, true);
      const twice = await store().deleteConversation(app, { owner: 'bob', peer: 'alice', clearHistory: false });
      assert.deepEqual(twice, { owner: 'bob', peer: 'alice', existed: true, unreadTotal: 0 });
      await assert.rejects(
        store().deleteConversation(app, { owner: 'ghost', peer: 'bob', clearHistory: false }),
        (e: unknown) => e instanceof ImError && e.code === 'ACCOUNT_NOT_IMPORTED',
      );
    });
  });
}
