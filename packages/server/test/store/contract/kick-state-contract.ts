/**
 * Contract cases of `Store.kickAccount`, `Store.sigsValidAfter` and `Store.recordStateChange`, run by
 * `storeContract` on every store.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImError } from '../../../src/errors/im-error.ts';
import type { Store } from '../../../src/store/store.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage } from '../helpers/fixtures.ts';

/** `store()` is the current test's store, with accounts alice, bob, carol, dave imported in `app`. */
export function kickStateContract(store: () => Store, app: number): void {
  describe('kickAccount', () => {
    it('stamps the account with the current second, only forward, and per account', async () => {
      assert.equal(await store().sigsValidAfter(app, 'alice'), 0, 'never kicked');
      const before = Math.floor(Date.now() / 1000);
      const r = await store().kickAccount(app, 'alice');
      const after = Math.floor(Date.now() / 1000);
      assert.equal(r.userId, 'alice');
      assert.ok(r.sigsValidAfter >= before && r.sigsValidAfter <= after);
      assert.equal(await store().sigsValidAfter(app, 'alice'), r.sigsValidAfter);
      assert.equal(await store().sigsValidAfter(app, 'bob'), 0);
      assert.equal(await store().sigsValidAfter(app, 'ghost'), 0);
      const again = await store().kickAccount(app, 'alice');
      assert.ok(again.sigsValidAfter >= r.sigsValidAfter);
    });

    it('refuses an account that is not imported', async () => {
      await assert.rejects(
        store().kickAccount(app, 'ghost'),
        (e: unknown) => e instanceof ImError && e.code === 'ACCOUNT_NOT_IMPORTED',
      );
    });
  });

  describe('deleteAccounts', () => {
    it('removes the accounts and their own counts; messages and the peers’ counts stay', async () => {
      const send = (from: string, to: string) =>
        store().sendMessage(app, to, newMessage(from), { dedupWindowSeconds: DEDUP_WINDOW });
      await send('alice', 'bob');
      await send('bob', 'alice');
      await send('carol', 'alice');
      const r = await store().deleteAccounts(app, ['alice', 'ghost', 'alice']);
      assert.deepEqual(r, { deleted: ['alice'], missing: ['ghost'] });
      assert.deepEqual([...(await store().existingAccounts(app, ['alice', 'bob']))], ['bob']);
      const bob = await store().getUnread(app, 'bob', ['alice']);
      assert.equal(bob.total, 1, 'the message alice sent still counts for bob');
      await store().importAccounts(app, [{ userId: 'alice' }]);
      const history = await store().getRoamMessages(app, {
        from: 'bob',
        to: 'alice',
        maxCnt: 10,
        minTime: 0,
        maxTime: 2 ** 32 - 1,
      });
      assert.equal(history.messages.length, 2, 'bob keeps the conversation’s history (read once alice exists again)');
      const fresh = await store().getUnread(app, 'alice', ['bob', 'carol']);
      assert.equal(fresh.total, 0, 'a re-imported account starts with no counts');
      assert.deepEqual(
        fresh.perPeer.map((p) => p.unread),
        [0, 0],
      );
      assert.equal((await store().listConversations(app, 'alice', { limit: 10 })).conversations.length, 0);
    });
  });

  describe('recordStateChange', () => {
    it('returns the change it recorded', async () => {
      const change = { userId: 'bob', action: 'Login', reason: 'Register', origin: ORIGIN } as const;
      assert.deepEqual(await store().recordStateChange(app, change), change);
    });
  });
}
