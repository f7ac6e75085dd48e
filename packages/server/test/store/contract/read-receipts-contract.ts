/**
 * Contract cases of `Store.setReadReceipts` (per-message read receipts), run by `storeContract` on every store.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorCatalog } from '../../../src/errors/error-catalog.ts';
import { ImError } from '../../../src/errors/im-error.ts';
import type { Store } from '../../../src/store/store.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage } from '../helpers/fixtures.ts';

const MAX_TIME = 2 ** 32 - 1;

/** `store()` is the current test's store, with accounts alice, bob, carol, dave imported in `app`. */
export function readReceiptsContract(store: () => Store, app: number): void {
  const send = (from: string, to: string) =>
    store().sendMessage(app, to, newMessage(from), { dedupWindowSeconds: DEDUP_WINDOW });
  const receipt = (reader: string, peer: string, msgKeys: string[]) =>
    store().setReadReceipts(app, { reader, peer, msgKeys, origin: ORIGIN });
  const roam = async (from: string, to: string) =>
    (await store().getRoamMessages(app, { from, to, maxCnt: 100, minTime: 0, maxTime: MAX_TIME })).messages;
  const rejectsWith = (p: Promise<unknown>, code: keyof typeof ErrorCatalog) =>
    assert.rejects(p, (e: unknown) => e instanceof ImError && e.code === code);

  describe('setReadReceipts', () => {
    it('stamps the messages once, leaves counts and watermarks alone, and reads back receipted', async () => {
      const a = (await send('alice', 'bob')).message;
      const b = (await send('alice', 'bob')).message;
      const r = await receipt('bob', 'alice', [a.msgKey]);
      assert.deepEqual(
        r.receipted.map((m) => m.msgKey),
        [a.msgKey],
      );
      assert.equal(r.receipted[0]!.readReceipt, true);
      assert.equal(r.reader, 'bob');
      assert.equal(r.peer, 'alice');
      const unread = await store().getUnread(app, 'bob', ['alice']);
      assert.equal(unread.total, 2, 'a receipt is not a read report: counts do not move');
      for (const [from, to] of [
        ['alice', 'bob'],
        ['bob', 'alice'],
      ] as const) {
        const flags = new Map((await roam(from, to)).map((m) => [m.msgKey, m.readReceipt === true]));
        assert.deepEqual([flags.get(a.msgKey), flags.get(b.msgKey)], [true, false], `${from}'s view`);
      }
      const page = await store().listMessages(app, 'alice', 'bob', { limit: 10 });
      assert.deepEqual(
        page.messages.map((m) => [m.msgKey, m.readReceipt === true]),
        [
          [b.msgKey, false],
          [a.msgKey, true],
        ],
      );
      assert.equal(page.peerReadTime, 0, 'the watermark did not move');
      const again = await receipt('bob', 'alice', [a.msgKey, b.msgKey]);
      assert.deepEqual(
        again.receipted.map((m) => m.msgKey),
        [b.msgKey],
        'a message receipted before is left out; the new one is in',
      );
    });

    it('refuses unknown accounts and keys that are not messages from peer to reader, writing nothing', async () => {
      const toBob = (await send('alice', 'bob')).message;
      const toAlice = (await send('bob', 'alice')).message;
      await rejectsWith(receipt('ghost', 'alice', [toBob.msgKey]), 'FROM_ACCOUNT_INVALID');
      await rejectsWith(receipt('bob', 'ghost', [toBob.msgKey]), 'TO_ACCOUNT_INVALID');
      await rejectsWith(receipt('bob', 'alice', [toBob.msgKey, toAlice.msgKey]), 'MSG_KEY_INVALID');
      await rejectsWith(receipt('carol', 'alice', [toBob.msgKey]), 'MSG_KEY_INVALID');
      await rejectsWith(receipt('bob', 'alice', ['1_2_3']), 'MSG_KEY_INVALID');
      const seen = (await roam('bob', 'alice')).find((m) => m.msgKey === toBob.msgKey);
      assert.equal(seen?.readReceipt, false, 'a refused request wrote nothing');
    });

    it('is per app: a key of one app is unknown in another', async () => {
      const m = (await send('alice', 'bob')).message;
      await store().importAccounts(app + 1, [{ userId: 'alice' }, { userId: 'bob' }]);
      await rejectsWith(
        store().setReadReceipts(app + 1, { reader: 'bob', peer: 'alice', msgKeys: [m.msgKey], origin: ORIGIN }),
        'MSG_KEY_INVALID',
      );
    });
  });
}
