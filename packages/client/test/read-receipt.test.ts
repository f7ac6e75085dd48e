/**
 * Per-message read receipts through `@readwire/client` and a real server: the reader's `sendReadReceipts` reaches the
 * sender's devices as `readReceipt` (live and after a reconnect), marks the sender's messages `readReceipt: true`, and
 * the app backend gets `C2C.CallbackAfterMsgReadReceipt`. The conversation watermark (`peerReadTime`,
 * `withinPeerReadTime`) does not move.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReadwireClient } from '../src/index.ts';
import { eventually, next, startReceiver, startTestServer, type TestServer } from './helpers/test-server.ts';

let ts: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let ann: ReadwireClient, annPhone: ReadwireClient, ben: ReadwireClient;

before(async () => {
  receiver = await startReceiver();
  ts = await startTestServer({ callbackUrl: receiver.url, callbackCommands: ['C2C.CallbackAfterMsgReadReceipt'] });
  ann = ts.client('ann', { platform: 'Web' });
  annPhone = ts.client('ann', { platform: 'Android' });
  ben = ts.client('ben', { platform: 'iOS' });
  await Promise.all([ann, annPhone, ben].map((c) => c.connect()));
});
after(async () => {
  await ts.close();
  await receiver.close();
});

describe('read receipts', () => {
  it('reach the sender’s devices and the app backend, and leave the read watermark alone', async () => {
    const onBen = next(ben, 'message');
    const first = await ann.send('ben', 'one');
    await onBen;
    const second = await ann.send('ben', 'two');
    const onAnn = next(ann, 'readReceipt');
    const onPhone = next(annPhone, 'readReceipt');
    const r = await ben.sendReadReceipts('ann', [first.message!.msgKey]);
    assert.deepEqual(r, { peer: 'ann', receipted: [first.message!.msgKey] });
    for (const e of await Promise.all([onAnn, onPhone])) {
      assert.deepEqual(e, { peer: 'ben', messages: [{ msgKey: first.message!.msgKey, msgId: first.message!.msgId }] });
    }
    const page = await ann.messages('ben');
    const byKey = new Map(page.messages.map((m) => [m.msgKey, m]));
    assert.equal(byKey.get(first.message!.msgKey)!.readReceipt, true);
    assert.equal(byKey.get(second.message!.msgKey)!.readReceipt, false);
    assert.equal(byKey.get(first.message!.msgKey)!.withinPeerReadTime, false, 'no read report was made');
    assert.equal(page.peerReadTime, 0);
    const cb = await eventually(() =>
      receiver.received.find((c) => c.body.CallbackCommand === 'C2C.CallbackAfterMsgReadReceipt'),
    );
    assert.equal(cb.query.get('OptPlatform'), 'iOS');
    assert.equal(cb.body.C2CMsgInfo[0].MsgId, first.message!.msgId);
    assert.equal((await ben.totalUnread()).totalUnread, 2, 'receipts clear no unread count');
  });

  it('a device that was offline gets the receipt when it resumes', async () => {
    const sent = await ann.send('ben', 'while the phone is away');
    const cursor = annPhone.cursor;
    await annPhone.close();
    await ben.sendReadReceipts('ann', [sent.message!.msgKey]);
    const back = ts.client('ann', { platform: 'Android', cursor });
    const got = next(back, 'readReceipt');
    await back.connect();
    assert.equal((await got).messages[0].msgKey, sent.message!.msgKey);
  });

  it('refuses a key that is not a message from the peer to you (90054)', async () => {
    const mine = await ben.send('ann', 'mine');
    await assert.rejects(
      ben.sendReadReceipts('ann', [mine.message!.msgKey]),
      (e: { code?: number }) => e.code === 90054,
    );
  });
});
