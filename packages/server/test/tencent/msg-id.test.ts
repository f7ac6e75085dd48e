/**
 * One message, one MsgId: the `sendmsg` answer, `C2C.CallbackAfterSendMsg` at a real receiver, `admin_getroammsg`
 * and the gateway's push all carry the same `MsgId` (`{id}-{MsgTime}-{MsgRandom}`, Tencent's MsgId shape), distinct
 * from the MsgKey (`{id}_{MsgRandom}_{MsgTime}`).
 * @module
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { msgIdOf } from '../../src/core/msg-id.ts';
import { startReceiver, type CallbackReceiver } from '../gateway/helpers/callback-receiver.ts';
import { APP, startFixture, text, type GatewayFixture } from '../gateway/helpers/gateway-fixture.ts';

const TOKEN = 'msgid-token';

describe('MsgId', () => {
  let fx: GatewayFixture;
  let receiver: CallbackReceiver;
  before(async () => {
    receiver = await startReceiver();
    fx = await startFixture({ callback: { url: receiver.url, commands: ['C2C.CallbackAfterSendMsg'], token: TOKEN } });
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: ['ann', 'ben', 'cat'] });
  });
  after(async () => {
    await fx.close();
    await receiver.close();
  });

  it('is derived from the MsgKey in Tencent’s MsgId shape', () => {
    assert.equal(msgIdOf('1_7_1796282160'), '1-1796282160-7');
  });

  it('is the same in the sendmsg answer, the callback, admin_getroammsg and the gateway push', async () => {
    const ben = await fx.login('ben');
    const sent = await fx.rest('sendmsg', {
      From_Account: 'ann',
      To_Account: 'ben',
      MsgRandom: 7,
      MsgBody: text('hi'),
    });
    assert.equal(sent.ErrorCode, 0);
    const [id, random, time] = (sent.MsgKey as string).split('_');
    assert.equal(random, '7');
    assert.equal(sent.MsgId, `${id}-${time}-7`);
    assert.notEqual(sent.MsgId, sent.MsgKey);

    const cb = await receiver.next('C2C.CallbackAfterSendMsg', (c) => c.body.MsgKey === sent.MsgKey);
    assert.equal(cb.body.MsgId, sent.MsgId);
    assert.equal(cb.query.get('SdkAppid'), String(APP));
    const requestTime = cb.query.get('RequestTime')!;
    assert.equal(
      cb.query.get('Sign'),
      createHash('sha256')
        .update(TOKEN + requestTime)
        .digest('hex'),
    );

    const roam = await fx.rest('admin_getroammsg', {
      Operator_Account: 'ben',
      Peer_Account: 'ann',
      MaxCnt: 10,
      MinTime: 0,
      MaxTime: 4294967295,
    });
    assert.equal(roam.MsgList[0].MsgKey, sent.MsgKey);
    assert.equal(roam.MsgList[0].MsgId, sent.MsgId);

    const push = await ben.push('message', (f) => f.data?.message?.msgKey === sent.MsgKey);
    assert.equal(push.data!.message.msgId, sent.MsgId);
    const page = await ben.call('messages', { peer: 'ann' });
    assert.equal(page.messages[0].msgId, sent.MsgId);
    ben.close();
  });

  it('is shared by every copy of a batchsendmsg, as the MsgKey is', async () => {
    const r = await fx.rest('batchsendmsg', {
      From_Account: 'ann',
      To_Account: ['ben', 'cat'],
      MsgRandom: 9,
      MsgBody: text('all'),
    });
    assert.equal(r.ErrorCode, 0);
    assert.equal(r.MsgId, msgIdOf(r.MsgKey));
    for (const who of ['ben', 'cat']) {
      const roam = await fx.rest('admin_getroammsg', {
        Operator_Account: who,
        Peer_Account: 'ann',
        MaxCnt: 1,
        MinTime: 0,
        MaxTime: 4294967295,
      });
      assert.equal(roam.MsgList[0].MsgId, r.MsgId);
    }
  });
});
