/**
 * What the app backend learns about a client's action: `C2C.CallbackAfterMsgReport` and `C2C.CallbackAfterSendMsg`
 * carry the client's platform as `OptPlatform` and its address as `ClientIP` — from the socket, or from
 * `X-Forwarded-For` only when the connection comes from a configured trusted proxy.
 * @module
 */
import assert from 'node:assert/strict';
import { sendData, startFixture, type GatewayFixture } from './helpers/gateway-fixture.ts';
import { startReceiver, type CallbackReceiver, type ReceivedCallback } from './helpers/callback-receiver.ts';
import { after, before, describe, it } from 'node:test';

const COMMANDS = ['C2C.CallbackAfterMsgReport', 'C2C.CallbackAfterSendMsg'];

/** The app backend's before-send policy in these tests: refuse "forbidden", reject "custom" with its own code. */
function beforeSend(c: ReceivedCallback): Record<string, unknown> {
  if (c.body.CallbackCommand !== 'C2C.CallbackBeforeSendMsg') return {};
  const t = (c.body.MsgBody as { MsgContent: { Text?: string } }[])[0]?.MsgContent.Text;
  if (t === 'forbidden') return { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: 'no' };
  if (t === 'custom') return { ActionStatus: 'FAIL', ErrorCode: 120005, ErrorInfo: 'blocked by policy' };
  return {};
}

describe('behind a trusted proxy', () => {
  let fx: GatewayFixture;
  let receiver: CallbackReceiver;
  before(async () => {
    receiver = await startReceiver(beforeSend);
    fx = await startFixture({
      trustedProxies: ['loopback'],
      callback: { url: receiver.url, commands: [...COMMANDS, 'C2C.CallbackBeforeSendMsg'] },
    });
  });
  after(async () => {
    await fx.close();
    await receiver.close();
  });

  it('reports the forwarded client address and the platform of the reading and sending devices', async () => {
    const xff = { headers: { 'x-forwarded-for': '198.51.100.9, 203.0.113.7' } };
    const ann = await fx.login('ann', { platform: 'iPad' }, xff);
    const bea = await fx.login('bea', { platform: 'Windows' });
    const sent = await ann.call('send', sendData('bea', 'hi'));
    const afterSend = await receiver.next('C2C.CallbackAfterSendMsg', (c) => c.body.MsgKey === sent.message.msgKey);
    assert.equal(afterSend.query.get('OptPlatform'), 'iPad');
    assert.equal(afterSend.query.get('ClientIP'), '203.0.113.7');

    const read = await bea.call('markRead', { peer: 'ann' });
    const report = await receiver.next('C2C.CallbackAfterMsgReport', (c) => c.body.Report_Account === 'bea');
    assert.equal(report.query.get('OptPlatform'), 'Windows');
    assert.equal(report.query.get('ClientIP'), '127.0.0.1');
    assert.equal(report.body.LastReadTime, read.readTime);
    assert.equal(report.body.Peer_Account, 'ann');
    ann.close();
    bea.close();
  });

  it('asks C2C.CallbackBeforeSendMsg with the client’s platform and address, and answers refusals like REST', async () => {
    const ann = await fx.login('ann', { platform: 'Android' });
    const refused = await ann.request('send', sendData('bea', 'forbidden'));
    assert.equal(refused.error!.code, 20006);
    const custom = await ann.request('send', sendData('bea', 'custom'));
    assert.deepEqual(custom.error, { code: 120005, info: 'blocked by policy' });
    const asked = await receiver.next(
      'C2C.CallbackBeforeSendMsg',
      (c) => c.body.MsgBody[0].MsgContent.Text === 'forbidden',
    );
    assert.equal(asked.query.get('OptPlatform'), 'Android');
    assert.equal(asked.query.get('ClientIP'), '127.0.0.1');
    assert.equal((await ann.request('send', sendData('bea', 'fine'))).ok, true);
    ann.close();
  });
});

describe('without trusted proxies', () => {
  let fx: GatewayFixture;
  let receiver: CallbackReceiver;
  before(async () => {
    receiver = await startReceiver();
    fx = await startFixture({ callback: { url: receiver.url, commands: COMMANDS } });
  });
  after(async () => {
    await fx.close();
    await receiver.close();
  });

  it('ignores X-Forwarded-For and reports the socket address', async () => {
    const cat = await fx.login('cat', { platform: 'Android' }, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    await fx.login('dan').then((c) => c.close());
    await cat.call('markRead', { peer: 'dan' });
    const report = await receiver.next('C2C.CallbackAfterMsgReport', (c) => c.body.Report_Account === 'cat');
    assert.equal(report.query.get('ClientIP'), '127.0.0.1');
    assert.equal(report.query.get('OptPlatform'), 'Android');
    cat.close();
  });
});
