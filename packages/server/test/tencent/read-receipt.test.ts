/**
 * `openim/c2c_msg_read_receipt` and the gateway's `readReceipt`: Tencent's documented request body, the
 * `C2C.CallbackAfterMsgReadReceipt` request at a real receiver (query, Sign, body with EventTime and each item's
 * MsgId), the live receipt on the sender's devices, `IsPeerRead: 1` in `admin_getroammsg` (and only for receipted
 * messages, not for those under the read watermark), and the error codes.
 * @module
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { msgIdOf } from '../../src/core/msg-id.ts';
import { startReceiver, type CallbackReceiver } from '../gateway/helpers/callback-receiver.ts';
import { APP, startFixture, text, type GatewayFixture } from '../gateway/helpers/gateway-fixture.ts';

const TOKEN = 'receipt-token';
const COMMAND = 'C2C.CallbackAfterMsgReadReceipt';

describe('read receipts', () => {
  let fx: GatewayFixture;
  let receiver: CallbackReceiver;
  let random = 100;
  const send = async (from: string, to: string, t: string): Promise<string> => {
    const r = await fx.rest('sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text(t) });
    assert.equal(r.ErrorCode, 0);
    return r.MsgKey as string;
  };
  const roam = async (viewer: string, peer: string) =>
    (
      await fx.rest('admin_getroammsg', {
        Operator_Account: viewer,
        Peer_Account: peer,
        MaxCnt: 100,
        MinTime: 0,
        MaxTime: 4294967295,
      })
    ).MsgList as { MsgKey: string; IsPeerRead: number }[];

  before(async () => {
    receiver = await startReceiver();
    fx = await startFixture({ callback: { url: receiver.url, commands: [COMMAND], token: TOKEN } });
    const r = await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: ['user1', 'user2', 'user3'] });
    assert.equal(r.ErrorCode, 0);
  });
  after(async () => {
    await fx.close();
    await receiver.close();
  });

  it('REST with Tencent’s example body: callback at the receiver, live receipt on the sender’s devices, IsPeerRead 1', async () => {
    const senderPhone = await fx.login('user2', { platform: 'iOS' });
    const senderWeb = await fx.login('user2', { platform: 'Web' });
    const key = await send('user2', 'user1', 'read me');
    const other = await send('user2', 'user1', 'not receipted');
    const started = Date.now();
    // Tencent's documented request body (269/104121), with a MsgKey of this server.
    const r = await fx.rest('c2c_msg_read_receipt', {
      Operator_Account: 'user1',
      Peer_Account: 'user2',
      C2CMsgInfo: [{ From_Account: 'user2', To_Account: 'user1', MsgKey: key }],
    });
    assert.deepEqual(r, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });

    const cb = await receiver.next(COMMAND);
    assert.equal(cb.query.get('SdkAppid'), String(APP));
    assert.equal(cb.query.get('CallbackCommand'), COMMAND);
    assert.equal(cb.query.get('contenttype'), 'json');
    assert.equal(cb.query.get('OptPlatform'), 'RESTAPI');
    assert.equal(cb.query.get('ClientIP'), '127.0.0.1');
    const requestTime = cb.query.get('RequestTime')!;
    assert.equal(
      cb.query.get('Sign'),
      createHash('sha256')
        .update(TOKEN + requestTime)
        .digest('hex'),
    );
    assert.deepEqual(Object.keys(cb.body), [
      'CallbackCommand',
      'Operator_Account',
      'Peer_Account',
      'C2CMsgInfo',
      'EventTime',
    ]);
    assert.deepEqual(cb.body.C2CMsgInfo, [
      { From_Account: 'user2', To_Account: 'user1', MsgKey: key, MsgId: msgIdOf(key) },
    ]);
    assert.equal(cb.body.Operator_Account, 'user1');
    assert.equal(cb.body.Peer_Account, 'user2');
    assert.ok(cb.body.EventTime >= started - 1000 && cb.body.EventTime <= Date.now(), 'EventTime is ms, now');

    for (const device of [senderPhone, senderWeb]) {
      const push = await device.push('readReceipt');
      assert.deepEqual(push.data, { peer: 'user1', messages: [{ msgKey: key, msgId: msgIdOf(key) }] });
      assert.match(push.seq ?? '', /^\d+$/, 'a sync-log entry: replayed after a reconnect');
    }
    for (const [viewer, peer] of [
      ['user1', 'user2'],
      ['user2', 'user1'],
    ] as const) {
      const flags = Object.fromEntries((await roam(viewer, peer)).map((m) => [m.MsgKey, m.IsPeerRead]));
      assert.deepEqual([flags[key], flags[other]], [1, 0], `${viewer}'s history`);
    }
    const page = await senderWeb.call('messages', { peer: 'user1' });
    const listed = page.messages as { msgKey: string; readReceipt: boolean }[];
    const mine = Object.fromEntries(listed.map((m) => [m.msgKey, m.readReceipt]));
    assert.deepEqual([mine[key], mine[other]], [true, false]);
    senderPhone.close();
    senderWeb.close();
  });

  it('a receipt is not a read report, and a read report is not a receipt', async () => {
    const key = await send('user3', 'user1', 'watermark only');
    assert.equal(
      (await fx.rest('admin_set_msg_read', { Report_Account: 'user1', Peer_Account: 'user3' })).ErrorCode,
      0,
    );
    const flags = Object.fromEntries((await roam('user3', 'user1')).map((m) => [m.MsgKey, m.IsPeerRead]));
    assert.equal(flags[key], 0, 'under the read watermark, but never receipted');
    const k2 = await send('user3', 'user1', 'receipted, unread');
    await fx.rest('c2c_msg_read_receipt', {
      Operator_Account: 'user1',
      Peer_Account: 'user3',
      C2CMsgInfo: [{ From_Account: 'user3', To_Account: 'user1', MsgKey: k2 }],
    });
    const unread = await fx.rest('get_c2c_unread_msg_num', { To_Account: 'user1', Peer_Account: ['user3'] });
    assert.equal(unread.C2CUnreadMsgNumList[0].C2CUnreadMsgNum, 1, 'the receipt left the unread count alone');
  });

  it('a repeated receipt fires nothing more; the gateway op receipts as the logged-in reader', async () => {
    const key = await send('user2', 'user3', 'via gateway');
    const reader = await fx.login('user3', { platform: 'Android' });
    const first = await reader.call('readReceipt', { peer: 'user2', msgKeys: [key, key] });
    assert.deepEqual(first, { peer: 'user2', receipted: [key] });
    const cb = await receiver.next(COMMAND, (c) => c.body.C2CMsgInfo[0].MsgKey === key);
    assert.equal(cb.query.get('OptPlatform'), 'Android');
    assert.equal(cb.body.Operator_Account, 'user3');
    const again = await reader.call('readReceipt', { peer: 'user2', msgKeys: [key] });
    assert.deepEqual(again.receipted, []);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.filter((c) => c.body.C2CMsgInfo?.[0]?.MsgKey === key).length, 1);
    const outbox = await fx.callbacks(COMMAND);
    assert.equal(outbox.filter((c) => c.body.C2CMsgInfo[0].MsgKey === key).length, 1);
    reader.close();
  });

  it('answers Tencent’s codes: 20001 for a mismatched item, 90054 for an unknown key, 90008/90003 for accounts', async () => {
    const key = await send('user2', 'user1', 'codes');
    const item = { From_Account: 'user2', To_Account: 'user1', MsgKey: key };
    const call = (body: unknown) => fx.rest('c2c_msg_read_receipt', body);
    const base = { Operator_Account: 'user1', Peer_Account: 'user2' };
    assert.equal((await call({ ...base, C2CMsgInfo: [{ ...item, From_Account: 'user3' }] })).ErrorCode, 20001);
    assert.equal((await call({ ...base, C2CMsgInfo: [{ ...item, To_Account: 'user3' }] })).ErrorCode, 20001);
    assert.equal((await call({ ...base, C2CMsgInfo: [] })).ErrorCode, 20001);
    assert.equal((await call({ ...base })).ErrorCode, 20001);
    assert.equal((await call({ ...base, C2CMsgInfo: [{ ...item, MsgKey: '9_9_9' }] })).ErrorCode, 90054);
    const r = await call({
      Operator_Account: 'nobody',
      Peer_Account: 'user2',
      C2CMsgInfo: [{ ...item, To_Account: 'nobody' }],
    });
    assert.equal(r.ErrorCode, 90008);
    const p = await call({
      Operator_Account: 'user1',
      Peer_Account: 'nobody',
      C2CMsgInfo: [{ ...item, From_Account: 'nobody' }],
    });
    assert.equal(p.ErrorCode, 90003);
    assert.equal((await fx.rest('c2c_msg_read_receipt', null)).ErrorCode, 90001);
    const c = await fx.login('user1');
    const bad = await c.request('readReceipt', { peer: 'user2', msgKeys: ['9_9_9'] });
    assert.equal(bad.error?.code, 90054);
    c.close();
  });
});
