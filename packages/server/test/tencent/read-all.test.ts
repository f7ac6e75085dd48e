/**
 * The gateway's `markAllRead`: every C2C unread count of the user cleared in one transaction, one
 * `C2C.CallbackAfterMsgReadAll` at a real receiver (query, Sign, `Report_Account`, `EventTime`, `GroupReadInfo: []`)
 * and no `C2C.CallbackAfterMsgReport`; the user's other devices get `unread` and each peer `peerRead`.
 * @module
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type CallbackReceiver } from '../gateway/helpers/callback-receiver.ts';
import { APP, startFixture, text, type GatewayFixture } from '../gateway/helpers/gateway-fixture.ts';

const TOKEN = 'read-all-token';

describe('markAllRead', () => {
  let fx: GatewayFixture;
  let receiver: CallbackReceiver;
  let random = 1;
  const send = (from: string, to: string) =>
    fx.rest('sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text('x') });

  before(async () => {
    receiver = await startReceiver();
    fx = await startFixture({
      callback: {
        url: receiver.url,
        commands: ['C2C.CallbackAfterMsgReadAll', 'C2C.CallbackAfterMsgReport'],
        token: TOKEN,
      },
    });
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: ['Jonh', 'amy', 'bo', 'cy'] });
  });
  after(async () => {
    await fx.close();
    await receiver.close();
  });

  it('clears every count, fires one C2C.CallbackAfterMsgReadAll and pushes to both sides', async () => {
    for (const from of ['amy', 'amy', 'bo', 'cy']) assert.equal((await send(from, 'Jonh')).ErrorCode, 0);
    const web = await fx.login('Jonh', { platform: 'Web' });
    const phone = await fx.login('Jonh', { platform: 'iOS' });
    const amy = await fx.login('amy', { platform: 'Android' });
    await Promise.all([web, phone, amy].map((c) => c.push('synced')));
    const started = Date.now();
    const r = await phone.call('markAllRead', {});
    assert.equal(r.totalUnread, 0);
    assert.deepEqual(r.peers.map((p: { peer: string }) => p.peer).sort(), ['amy', 'bo', 'cy']);
    const unread = await fx.rest('get_c2c_unread_msg_num', { To_Account: 'Jonh', Peer_Account: ['amy', 'bo', 'cy'] });
    assert.equal(unread.AllC2CUnreadMsgNum, 0);

    const cb = await receiver.next('C2C.CallbackAfterMsgReadAll');
    assert.equal(cb.query.get('SdkAppid'), String(APP));
    assert.equal(cb.query.get('CallbackCommand'), 'C2C.CallbackAfterMsgReadAll');
    assert.equal(cb.query.get('OptPlatform'), 'iOS');
    assert.equal(
      cb.query.get('Sign'),
      createHash('sha256')
        .update(TOKEN + cb.query.get('RequestTime')!)
        .digest('hex'),
    );
    assert.deepEqual(Object.keys(cb.body), ['CallbackCommand', 'Report_Account', 'GroupReadInfo', 'EventTime']);
    assert.equal(cb.body.Report_Account, 'Jonh');
    assert.deepEqual(cb.body.GroupReadInfo, []);
    assert.ok(cb.body.EventTime >= started - 1000 && cb.body.EventTime <= Date.now());

    const onWeb = await web.push('unread', (f) => f.data?.peer === 'amy');
    assert.deepEqual(onWeb.data!.unread, { peer: 'amy', conversation: 0, total: 0 });
    const onAmy = await amy.push('peerRead', (f) => f.data?.peer === 'Jonh');
    assert.equal(onAmy.data!.readTime, r.peers.find((p: { peer: string }) => p.peer === 'amy').readTime);

    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await fx.callbacks('C2C.CallbackAfterMsgReport')).length, 0, 'no per-conversation report');
    assert.equal((await fx.callbacks('C2C.CallbackAfterMsgReadAll')).length, 1);
    for (const c of [web, phone, amy]) c.close();
  });

  it('fires even with nothing unread (the user cleared everything), and refuses data that is not an object', async () => {
    const c = await fx.login('bo');
    const r = await c.call('markAllRead');
    assert.deepEqual(r, { peers: [], totalUnread: 0 });
    await receiver.next('C2C.CallbackAfterMsgReadAll', (cb) => cb.body.Report_Account === 'bo');
    const bad = await c.request('markAllRead', 'all');
    assert.equal(bad.error?.code, 70402);
    c.close();
  });
});
