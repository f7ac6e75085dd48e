/**
 * Contract cases of `Store.importMessage` (history import) and `Store.modifyMessage` (edit), run by `storeContract`
 * on every store.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImError } from '../../../src/errors/im-error.ts';
import type { Store } from '../../../src/store/store.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage, textBody } from '../helpers/fixtures.ts';

const MAX_TIME = 2 ** 32 - 1;
const PAST = 1556178721;

/** `store()` is the current test's store, with accounts alice, bob, carol, dave imported in `app`. */
export function importModifyContract(store: () => Store, app: number): void {
  const code = (name: string) => (e: unknown) => e instanceof ImError && e.code === name;
  const roam = async (from: string, to: string) =>
    (await store().getRoamMessages(app, { from, to, maxCnt: 100, minTime: 0, maxTime: MAX_TIME })).messages;

  describe('importMessage', () => {
    it('keeps MsgTimeStamp, counts as unread only when asked, and updates the conversation', async () => {
      const counted = await store().importMessage(app, 'bob', newMessage('alice', { msgSeq: 1, msgRandom: 9 }), PAST);
      assert.equal(counted.duplicate, false);
      assert.equal(counted.message.msgTime, PAST);
      assert.match(counted.message.msgKey, new RegExp(`^\\d+_9_${PAST}$`));
      const history = await store().importMessage(
        app,
        'bob',
        newMessage('alice', { msgSeq: 2, msgRandom: 9, countsUnread: false }),
        PAST + 1,
      );
      assert.equal((await store().getUnread(app, 'bob', ['alice'])).total, 1, 'only the counted import is unread');
      const seen = await roam('bob', 'alice');
      assert.deepEqual(
        seen.map((m) => [m.msgKey, m.msgTime]),
        [
          [history.message.msgKey, PAST + 1],
          [counted.message.msgKey, PAST],
        ],
      );
      const list = await store().listConversations(app, 'bob', { limit: 10 });
      assert.equal(list.conversations[0]?.peer, 'alice');
      assert.equal(list.conversations[0]?.lastMessage?.msgKey, history.message.msgKey);
    });

    it('imports a message once per conversation by MsgSeq + MsgRandom + MsgTimeStamp, either direction', async () => {
      const first = await store().importMessage(app, 'bob', newMessage('alice', { msgSeq: 7, msgRandom: 8 }), PAST);
      const again = await store().importMessage(
        app,
        'bob',
        newMessage('alice', { msgSeq: 7, msgRandom: 8, body: textBody('other content') }),
        PAST,
      );
      assert.equal(again.duplicate, true);
      assert.equal(again.message.msgKey, first.message.msgKey);
      assert.deepEqual(again.message.body, first.message.body, 'the first import wins');
      const reversed = await store().importMessage(app, 'alice', newMessage('bob', { msgSeq: 7, msgRandom: 8 }), PAST);
      assert.equal(reversed.duplicate, true);
      const otherConversation = await store().importMessage(
        app,
        'carol',
        newMessage('alice', { msgSeq: 7, msgRandom: 8 }),
        PAST,
      );
      assert.equal(otherConversation.duplicate, false);
      const otherTime = await store().importMessage(
        app,
        'bob',
        newMessage('alice', { msgSeq: 7, msgRandom: 8 }),
        PAST + 5,
      );
      assert.equal(otherTime.duplicate, false);
      assert.equal((await roam('alice', 'bob')).length, 2);
      assert.equal((await store().getUnread(app, 'bob')).total, 2);
    });

    it('refuses unknown accounts and a time in the future', async () => {
      await assert.rejects(store().importMessage(app, 'bob', newMessage('ghost'), PAST), code('FROM_ACCOUNT_INVALID'));
      await assert.rejects(store().importMessage(app, 'ghost', newMessage('alice'), PAST), code('TO_ACCOUNT_INVALID'));
      const future = Math.floor(Date.now() / 1000) + 3600;
      await assert.rejects(
        store().importMessage(app, 'bob', newMessage('alice'), future),
        code('MSG_TIMESTAMP_INVALID'),
      );
      assert.equal((await roam('alice', 'bob')).length, 0);
    });
  });

  describe('modifyMessage', () => {
    it('replaces the body and/or CloudCustomData; counts do not change', async () => {
      const sent = await store().sendMessage(app, 'bob', newMessage('alice'), { dedupWindowSeconds: DEDUP_WINDOW });
      const m = sent.message;
      const r = await store().modifyMessage(app, {
        from: 'alice',
        to: 'bob',
        msgKey: m.msgKey,
        operator: 'alice',
        body: textBody('edited'),
        origin: ORIGIN,
      });
      assert.deepEqual(r.message.body, textBody('edited'));
      assert.equal(r.message.cloudCustomData, m.cloudCustomData, 'absent CloudCustomData is unchanged');
      assert.equal(r.operator, 'alice');
      await store().modifyMessage(app, {
        from: 'alice',
        to: 'bob',
        msgKey: m.msgKey,
        operator: 'admin',
        cloudCustomData: 'ccd2',
        origin: ORIGIN,
      });
      const [stored] = await roam('bob', 'alice');
      assert.deepEqual([stored?.body, stored?.cloudCustomData, stored?.msgKey], [textBody('edited'), 'ccd2', m.msgKey]);
      assert.equal((await store().getUnread(app, 'bob')).total, 1);
    });

    it('refuses unknown accounts, an unknown key, a key of another pair and a recalled message', async () => {
      const m = (await store().sendMessage(app, 'bob', newMessage('alice'), { dedupWindowSeconds: DEDUP_WINDOW }))
        .message;
      const edit = (from: string, to: string, msgKey: string) =>
        store().modifyMessage(app, { from, to, msgKey, operator: from, body: textBody('x'), origin: ORIGIN });
      await assert.rejects(edit('ghost', 'bob', m.msgKey), code('FROM_ACCOUNT_INVALID'));
      await assert.rejects(edit('alice', 'ghost', m.msgKey), code('TO_ACCOUNT_INVALID'));
      await assert.rejects(edit('alice', 'bob', '1_2_3'), code('MSG_KEY_INVALID'));
      await assert.rejects(edit('alice', 'carol', m.msgKey), code('MSG_KEY_INVALID'));
      await store().withdrawMessage(app, { from: 'alice', to: 'bob', msgKey: m.msgKey, origin: ORIGIN });
      await assert.rejects(edit('alice', 'bob', m.msgKey), code('MSG_KEY_INVALID'));
    });
  });
}
