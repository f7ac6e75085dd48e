/**
 * Contract cases of `Store.setReadAll` (clear every C2C unread count of a user), run by `storeContract` on every store.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImError } from '../../../src/errors/im-error.ts';
import type { Store } from '../../../src/store/store.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage } from '../helpers/fixtures.ts';

/** `store()` is the current test's store, with accounts alice, bob, carol, dave imported in `app`. */
export function readAllContract(store: () => Store, app: number): void {
  const send = (from: string, to: string, overrides = {}) =>
    store().sendMessage(app, to, newMessage(from, overrides), { dedupWindowSeconds: DEDUP_WINDOW });

  describe('setReadAll', () => {
    it('reads every conversation with unread messages in one write; others are untouched', async () => {
      await send('bob', 'alice');
      await send('bob', 'alice');
      await send('carol', 'alice');
      await send('alice', 'dave');
      await send('bob', 'dave');
      await send('dave', 'alice', { countsUnread: false });
      const r = await store().setReadAll(app, { reporter: 'alice', origin: ORIGIN });
      assert.equal(r.reporter, 'alice');
      assert.equal(r.unreadTotal, 0);
      assert.deepEqual(r.conversations.map((c) => [c.peer, c.conversationUnread, c.advanced]).sort(), [
        ['bob', 0, true],
        ['carol', 0, true],
      ]);
      for (const c of r.conversations) assert.ok(c.lastReadTime > 0);
      const alice = await store().getUnread(app, 'alice', ['bob', 'carol', 'dave']);
      assert.equal(alice.total, 0);
      assert.deepEqual(
        alice.perPeer.map((p) => p.unread),
        [0, 0, 0],
      );
      const dave = await store().getUnread(app, 'dave', ['bob']);
      assert.equal(dave.total, 2, 'another user’s counts are untouched');
      const page = await store().listMessages(app, 'bob', 'alice', { limit: 10 });
      assert.ok(page.peerReadTime > 0, 'the peer sees the conversation read (watermark moved)');
    });

    it('is a no-op with nothing unread, and a message after it counts again', async () => {
      const none = await store().setReadAll(app, { reporter: 'bob', origin: ORIGIN });
      assert.deepEqual(none.conversations, []);
      assert.equal(none.unreadTotal, 0);
      await send('carol', 'bob');
      assert.equal((await store().getUnread(app, 'bob')).total, 1);
    });

    it('refuses an unknown reporter', async () => {
      await assert.rejects(
        store().setReadAll(app, { reporter: 'ghost', origin: ORIGIN }),
        (e: unknown) => e instanceof ImError && e.code === 'FROM_ACCOUNT_INVALID',
      );
    });
  });
}
