/**
 * Online state and login lifecycle: `State.StateChange` at a real receiver on login, logout and disconnect (with
 * Tencent's upper-case `IOS` in this callback only), `query_online_status` / `querystate` from the gateway with and
 * without `IsNeedDetail`, and `im_open_login_svc/kick` closing the user's connections and refusing the UserSigs
 * issued before it.
 * @module
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type CallbackReceiver } from '../gateway/helpers/callback-receiver.ts';
import { RawClient } from '../gateway/helpers/raw-client.ts';
import { APP, startFixture, type GatewayFixture } from '../gateway/helpers/gateway-fixture.ts';

const TOKEN = 'state-token';

describe('accounts and state', () => {
  let fx: GatewayFixture;
  let receiver: CallbackReceiver;
  const states = (user: string) => receiver.received.filter((c) => c.body.Info?.To_Account === user);

  before(async () => {
    receiver = await startReceiver();
    fx = await startFixture({ callback: { url: receiver.url, commands: ['State.StateChange'], token: TOKEN } });
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: ['id1', 'id2', 'id3', 'k1'] });
  });
  after(async () => {
    await fx.close();
    await receiver.close();
  });

  it('reports login and disconnect as State.StateChange, with IOS upper-case', async () => {
    const started = Date.now();
    const phone = await fx.login('id1', { platform: 'iOS' });
    const login = await receiver.next('State.StateChange', (c) => c.body.Info.To_Account === 'id1');
    assert.equal(login.query.get('OptPlatform'), 'IOS');
    assert.equal(login.query.get('SdkAppid'), String(APP));
    assert.equal(login.query.get('ClientIP'), '127.0.0.1');
    assert.equal(
      login.query.get('Sign'),
      createHash('sha256')
        .update(TOKEN + login.query.get('RequestTime')!)
        .digest('hex'),
    );
    assert.deepEqual(Object.keys(login.body), ['CallbackCommand', 'Info', 'EventTime']);
    assert.deepEqual(login.body.Info, { Action: 'Login', To_Account: 'id1', Reason: 'Register' });
    assert.ok(login.body.EventTime >= started - 1000);
    phone.close();
    await receiver.next(
      'State.StateChange',
      (c) => c.body.Info.To_Account === 'id1' && c.body.Info.Action === 'Disconnect',
    );
    assert.deepEqual(
      states('id1').map((c): unknown[] => [c.body.Info.Action, c.body.Info.Reason]),
      [
        ['Login', 'Register'],
        ['Disconnect', 'LinkClose'],
      ],
      'in order',
    );
    const web = await fx.login('id1', { platform: 'Web' });
    const webLogin = await receiver.next(
      'State.StateChange',
      (c) => c.body.Info.To_Account === 'id1' && c.query.get('OptPlatform') === 'Web',
    );
    assert.equal(webLogin.body.Info.Action, 'Login');
    web.close();
  });

  it('query_online_status and querystate answer from the gateway, with per-platform detail', async () => {
    const a = await fx.login('id2', { platform: 'iOS' });
    const b = await fx.login('id2', { platform: 'Web' });
    const plain = await fx.rest('query_online_status', { To_Account: ['id2', 'id3', 'nobody'] });
    assert.deepEqual(plain.QueryResult, [
      { To_Account: 'id2', Status: 'Online' },
      { To_Account: 'id3', Status: 'Offline' },
    ]);
    assert.deepEqual(plain.ErrorList, [{ To_Account: 'nobody', ErrorCode: 70107 }]);
    const detail = await fx.rest('query_online_status', { IsNeedDetail: 1, To_Account: ['id2', 'id3'] });
    const id2 = detail.QueryResult[0];
    assert.equal(id2.Status, 'Online');
    assert.deepEqual(id2.Detail.map((d: { Platform: string }) => d.Platform).sort(), ['Web', 'iPhone']);
    assert.deepEqual(detail.QueryResult[1], { To_Account: 'id3', Status: 'Offline', Detail: [] });
    const old = await fx.rest('querystate', { IsNeedDetail: 1, To_Account: ['id2'] });
    assert.equal(old.QueryResult[0].State, 'Online');
    assert.equal(old.QueryResult[0].Detail[0].State, 'Online');
    a.close();
    b.close();
    await receiver.next(
      'State.StateChange',
      (c) => c.body.Info.To_Account === 'id2' && c.body.Info.Action === 'Disconnect',
    );
    assert.equal((await fx.rest('query_online_status', { To_Account: ['id2'] })).QueryResult[0].Status, 'Offline');
    assert.equal((await fx.rest('query_online_status', { To_Account: [] })).ErrorCode, 70402);
    assert.equal((await fx.rest('query_online_status', {})).ErrorCode, 70402);
  });

  it('kick closes the user’s connections and refuses UserSigs issued up to it until a newer one', async () => {
    const sig = await fx.sig('k1');
    const c = await RawClient.connect(fx.wsUrl);
    await c.call('login', { sdkAppId: APP, userId: 'k1', userSig: sig, platform: 'Android' });
    assert.deepEqual(await fx.rest('im_open_login_svc/kick', { UserID: 'k1' }), {
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
    });
    const closed = await c.closed;
    assert.equal(closed.code, 4003);
    const logout = await receiver.next(
      'State.StateChange',
      (s) => s.body.Info.To_Account === 'k1' && s.body.Info.Action === 'Logout',
    );
    assert.equal(logout.body.Info.Reason, 'Unregister');

    const again = await RawClient.connect(fx.wsUrl);
    const refused = await again.request('login', { sdkAppId: APP, userId: 'k1', userSig: sig, platform: 'Android' });
    assert.equal(refused.error?.code, 70001);
    const fresh = await fx.sig('k1', { now: Math.floor(Date.now() / 1000) + 1 });
    const ok = await again.request('login', { sdkAppId: APP, userId: 'k1', userSig: fresh, platform: 'Android' });
    assert.equal(ok.ok, true, 'a UserSig issued after the kick logs in');
    again.close();
    assert.equal((await fx.rest('im_open_login_svc/kick', { UserID: 'nobody' })).ErrorCode, 70107);
    assert.equal((await fx.rest('im_open_login_svc/kick', {})).ErrorCode, 70402);
  });
});

describe('account_delete', () => {
  let fx: GatewayFixture;
  before(async () => {
    fx = await startFixture();
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: ['UserID_1', 'UserID_2', 'peer'] });
  });
  after(() => fx.close());

  it('deletes accounts (Tencent’s example body), closes their connections and keeps the peers’ history', async () => {
    await fx.rest('sendmsg', {
      From_Account: 'UserID_1',
      To_Account: 'peer',
      MsgRandom: 1,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }],
    });
    const device = await fx.login('UserID_1');
    await device.push('synced');
    const r = await fx.rest('im_open_login_svc/account_delete', {
      DeleteItem: [{ UserID: 'UserID_1' }, { UserID: 'UserID_2' }, { UserID: 'nobody' }],
    });
    assert.equal(r.ErrorCode, 0);
    assert.deepEqual(r.ResultItem, [
      { ResultCode: 0, ResultInfo: '', UserID: 'UserID_1' },
      { ResultCode: 0, ResultInfo: '', UserID: 'UserID_2' },
      { ResultCode: 70107, ResultInfo: 'account does not exist', UserID: 'nobody' },
    ]);
    assert.equal((await device.closed).code, 4003);
    const check = await fx.rest('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'UserID_1' }] });
    assert.equal(check.ResultItem[0].AccountStatus, 'NotImported');
    const unread = await fx.rest('get_c2c_unread_msg_num', { To_Account: 'peer' });
    assert.equal(unread.AllC2CUnreadMsgNum, 1);
    assert.equal(
      (
        await fx.rest('sendmsg', {
          From_Account: 'peer',
          To_Account: 'UserID_1',
          MsgRandom: 2,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'y' } }],
        })
      ).ErrorCode,
      90003,
    );
    assert.equal((await fx.rest('im_open_login_svc/account_delete', { DeleteItem: [] })).ErrorCode, 70402);
  });
});
