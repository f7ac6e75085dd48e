/**
 * `openim/importmsg` and `openim/modify_c2c_msg` with Tencent's documented example bodies: imports keep their
 * MsgTimeStamp, fire no callback, are deduplicated, count and reach devices only as SyncFromOldSystem says; an edit
 * fires `C2C.CallbackAfterModifyMsg` at a real receiver (query, Sign, body) and reaches both parties' devices live.
 * @module
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { msgIdOf } from '../../src/core/msg-id.ts';
import { startReceiver, type CallbackReceiver } from '../gateway/helpers/callback-receiver.ts';
import { APP, startFixture, text, type GatewayFixture } from '../gateway/helpers/gateway-fixture.ts';

const TOKEN = 'edit-token';
const ALL = [
  'C2C.CallbackBeforeSendMsg',
  'C2C.CallbackAfterSendMsg',
  'C2C.CallbackAfterMsgReport',
  'C2C.CallbackAfterModifyMsg',
];

/** Tencent's importmsg example (269/2568), with `SyncFromOldSystem` as given. */
function tencentImport(sync: number, extra: Record<string, unknown> = {}) {
  return {
    SyncFromOldSystem: sync,
    From_Account: 'lumotuwe1',
    To_Account: 'lumotuwe2',
    MsgSeq: 827092,
    MsgRandom: 1287657,
    MsgTimeStamp: 1556178721,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi, beauty' } }],
    CloudCustomData: 'your cloud custom data',
    ...extra,
  };
}

describe('importmsg and modify_c2c_msg', () => {
  let fx: GatewayFixture;
  let receiver: CallbackReceiver;
  const roam = async (viewer: string, peer: string) =>
    (
      await fx.rest('admin_getroammsg', {
        Operator_Account: viewer,
        Peer_Account: peer,
        MaxCnt: 100,
        MinTime: 0,
        MaxTime: 4294967295,
      })
    ).MsgList as Record<string, any>[];
  const unread = async (user: string) =>
    (await fx.rest('get_c2c_unread_msg_num', { To_Account: user })).AllC2CUnreadMsgNum as number;

  before(async () => {
    receiver = await startReceiver();
    fx = await startFixture({ callback: { url: receiver.url, commands: ALL, token: TOKEN } });
    await fx.rest('im_open_login_svc/multiaccount_import', {
      Accounts: ['lumotuwe1', 'lumotuwe2', 'vinson', 'dramon'],
    });
  });
  after(async () => {
    await fx.close();
    await receiver.close();
  });

  it('imports history (2) uncounted and unpushed, real time (5, and the older 1) counted and pushed; no callbacks', async () => {
    const device = await fx.login('lumotuwe2');
    await device.push('synced');
    assert.deepEqual(await fx.rest('importmsg', tencentImport(2)), { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    assert.equal(await unread('lumotuwe2'), 0);
    const [m] = await roam('lumotuwe2', 'lumotuwe1');
    assert.equal(m!.MsgTimeStamp, 1556178721, 'MsgTimeStamp kept');
    assert.equal(m!.MsgSeq, 827092);
    assert.equal(m!.CloudCustomData, 'your cloud custom data');
    assert.equal(m!.MsgId, msgIdOf(m!.MsgKey));

    assert.equal((await fx.rest('importmsg', tencentImport(5, { MsgSeq: 827093 }))).ErrorCode, 0);
    assert.equal((await fx.rest('importmsg', tencentImport(1, { MsgSeq: 827094 }))).ErrorCode, 0);
    assert.equal(await unread('lumotuwe2'), 2);
    await device.push('message', (f) => f.data?.message?.msgSeq === 827094);
    const pushed = device.pushes('message').map((f) => f.data!.message.msgSeq as number);
    assert.deepEqual(pushed.sort(), [827093, 827094], 'only the real-time imports were pushed');

    assert.equal((await fx.rest('importmsg', tencentImport(5))).ErrorCode, 0, 'a duplicate answers OK');
    assert.equal((await roam('lumotuwe2', 'lumotuwe1')).length, 3, 'and is stored once');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, 0, 'imports fire no callback');
    assert.equal((await fx.callbacks()).length, 0);
    device.close();
  });

  it('answers Tencent’s codes for bad imports', async () => {
    const codes = async (body: unknown) => (await fx.rest('importmsg', body)).ErrorCode as number;
    assert.equal(await codes(tencentImport(3)), 90010);
    assert.equal(await codes(tencentImport(2, { From_Account: 'nobody' })), 90008);
    assert.equal(await codes(tencentImport(2, { To_Account: 'nobody' })), 90003);
    assert.equal(await codes(tencentImport(2, { MsgTimeStamp: 'yesterday' })), 90006);
    assert.equal(await codes(tencentImport(2, { MsgTimeStamp: Math.floor(Date.now() / 1000) + 3600 })), 90006);
    assert.equal(await codes(tencentImport(2, { MsgRandom: -1 })), 90005);
    assert.equal(await codes(tencentImport(2, { MsgBody: [] })), 90002);
    assert.equal(await codes(tencentImport(2, { CloudCustomData: 'x'.repeat(13000) })), 80002);
  });

  it('modify_c2c_msg edits the message, fires C2C.CallbackAfterModifyMsg and updates both parties live', async () => {
    const sent = await fx.rest('sendmsg', {
      From_Account: 'vinson',
      To_Account: 'dramon',
      MsgRandom: 833502,
      MsgBody: text('before'),
    });
    const sender = await fx.login('vinson', { platform: 'Android' });
    const recipient = await fx.login('dramon', { platform: 'Web' });
    await Promise.all([sender.push('synced'), recipient.push('synced')]);
    const started = Date.now();
    const body = {
      From_Account: 'vinson',
      To_Account: 'dramon',
      MsgKey: sent.MsgKey,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'after' } }],
      CloudCustomData: 'edited',
    };
    assert.deepEqual(await fx.rest('modify_c2c_msg', body), { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });

    const cb = await receiver.next('C2C.CallbackAfterModifyMsg');
    assert.equal(cb.query.get('SdkAppid'), String(APP));
    assert.equal(cb.query.get('OptPlatform'), 'RESTAPI');
    assert.equal(
      cb.query.get('Sign'),
      createHash('sha256')
        .update(TOKEN + cb.query.get('RequestTime')!)
        .digest('hex'),
    );
    const { EventTime, ...rest } = cb.body;
    assert.ok(EventTime >= started - 1000 && EventTime <= Date.now());
    assert.deepEqual(rest, {
      CallbackCommand: 'C2C.CallbackAfterModifyMsg',
      Operator_Account: 'admin',
      From_Account: 'vinson',
      To_Account: 'dramon',
      MsgSeq: rest.MsgSeq,
      MsgRandom: 833502,
      MsgTime: sent.MsgTime,
      MsgKey: sent.MsgKey,
      MsgId: sent.MsgId,
      MsgBody: body.MsgBody,
      CloudCustomData: 'edited',
    });
    for (const device of [sender, recipient]) {
      const push = await device.push('modify');
      assert.equal(push.data!.message.msgKey, sent.MsgKey);
      assert.deepEqual(push.data!.message.body, body.MsgBody);
      assert.equal(push.data!.message.cloudCustomData, 'edited');
    }
    const [m] = await roam('dramon', 'vinson');
    assert.deepEqual([m!.MsgBody, m!.CloudCustomData], [body.MsgBody, 'edited']);
    assert.equal((await fx.rest('modify_c2c_msg', { ...body, MsgKey: '1_2_3' })).ErrorCode, 90054);
    assert.equal(
      (await fx.rest('modify_c2c_msg', { From_Account: 'vinson', To_Account: 'dramon', MsgKey: sent.MsgKey }))
        .ErrorCode,
      90002,
    );
    assert.equal((await fx.rest('modify_c2c_msg', { ...body, From_Account: 'nobody' })).ErrorCode, 90008);
    sender.close();
    recipient.close();
  });
});
