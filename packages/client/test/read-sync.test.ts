/**
 * The seed scenario end to end: two users with two devices each. A read on one device reaches the user's other
 * device (unread sync), the peer's devices (read receipt) and the app backend (`C2C.CallbackAfterMsgReport` with the
 * reading device's OptPlatform and address).
 * @module
 */
import assert from 'node:assert/strict';
import type { ReadwireClient } from '../src/index.ts';
import { after, before, describe, it } from 'node:test';
import { eventually, next, startReceiver, startTestServer, type TestServer } from './helpers/test-server.ts';

let ts: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let alice: ReadwireClient, alicePhone: ReadwireClient, bobPhone: ReadwireClient, bobMac: ReadwireClient;

before(async () => {
  receiver = await startReceiver();
  ts = await startTestServer({ callbackUrl: receiver.url });
  alice = ts.client('alice', { platform: 'Web' });
  alicePhone = ts.client('alice', { platform: 'Android' });
  bobPhone = ts.client('bob', { platform: 'iOS' });
  bobMac = ts.client('bob', { platform: 'Mac' });
  await Promise.all([alice, alicePhone, bobPhone, bobMac].map((c) => c.connect()));
});
after(async () => {
  await ts.close();
  await receiver.close();
});

describe('two users, two devices each', () => {
  it('a message reaches both devices of the recipient and the sender’s other device, not the sending one', async () => {
    const seen = { alice: 0 };
    const off = alice.on('message', () => seen.alice++);
    const onBobPhone = next(bobPhone, 'message');
    const onBobMac = next(bobMac, 'message');
    const onAlicePhone = next(alicePhone, 'message');
    const sent = await alice.send('bob', 'hello from the web');
    for (const e of await Promise.all([onBobPhone, onBobMac])) {
      assert.equal(e.message.msgKey, sent.message!.msgKey);
      assert.deepEqual(e.unread, { peer: 'alice', conversation: 1, total: 1 });
    }
    const mirrored = await onAlicePhone;
    assert.equal(mirrored.message.msgKey, sent.message!.msgKey);
    assert.equal(mirrored.unread, undefined, 'the sender’s counts did not change');
    await new Promise((r) => setTimeout(r, 100));
    off();
    assert.equal(seen.alice, 0, 'the sending device does not get its own message back');
  });

  it('a read on one device clears the other device’s badge, sends the receipt and fires the callback', async () => {
    await alice.send('bob', 'second');
    await eventually(async () => (await bobMac.totalUnread()).totalUnread === 2);
    const onBobPhoneUnread = next(bobPhone, 'unread');
    const onAliceReceipt = next(alice, 'peerRead');
    const onAlicePhoneReceipt = next(alicePhone, 'peerRead');

    const r = await bobMac.markRead('alice');
    assert.deepEqual(r.unread, { peer: 'alice', conversation: 0, total: 0 });

    const unread = await onBobPhoneUnread;
    assert.deepEqual(unread.unread, { peer: 'alice', conversation: 0, total: 0 });
    assert.equal(unread.readTime, r.readTime);
    for (const receipt of await Promise.all([onAliceReceipt, onAlicePhoneReceipt])) {
      assert.deepEqual(receipt, { peer: 'bob', readTime: r.readTime });
    }
    const page = await alice.messages('bob');
    assert.ok(page.messages.every((m) => m.withinPeerReadTime === true));
    assert.equal(page.peerReadTime, r.readTime);

    const callback = await eventually(() =>
      receiver.received.find((c) => c.body.CallbackCommand === 'C2C.CallbackAfterMsgReport'),
    );
    assert.equal(callback.query.get('CallbackCommand'), 'C2C.CallbackAfterMsgReport');
    assert.equal(callback.query.get('OptPlatform'), 'Mac');
    assert.equal(callback.query.get('ClientIP'), '127.0.0.1');
    assert.equal(callback.body.Report_Account, 'bob');
    assert.equal(callback.body.Peer_Account, 'alice');
    assert.equal(callback.body.LastReadTime, r.readTime);
    assert.equal(callback.body.UnreadMsgNum, 0);
  });

  it('lists conversations with counts, the last message and both read times', async () => {
    const bobView = await bobPhone.conversations();
    assert.equal(bobView.totalUnread, 0);
    assert.equal(bobView.conversations.length, 1);
    const c = bobView.conversations[0]!;
    assert.equal(c.peer, 'alice');
    assert.equal(c.unread, 0);
    assert.ok(c.readTime > 0);
    assert.equal(c.lastMessage?.body[0]?.MsgContent.Text, 'second');
    const aliceView = await alicePhone.conversations();
    assert.equal(aliceView.conversations[0]!.peerReadTime, c.readTime);
    assert.equal(aliceView.conversations[0]!.lastMessage?.withinPeerReadTime, true);
  });
});
