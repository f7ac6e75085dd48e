/** The REST client against a local fake of the REST API: URLs, query, UserSig renewal, errors, keep-alive. */
import assert from 'node:assert/strict';
import { createRestClient, RestError, SdkOptionsError, verifyUserSig, type RestClientOptions } from '../src/index.ts';
import { answer, startFakeRestServer, type FakeRestServer } from './helpers/fake-rest-server.ts';
import { after, before, describe, it } from 'node:test';

const SDKAPPID = 1400000000;
const KEY = 'test-secret-key';

let fake: FakeRestServer;

function client(options: Partial<RestClientOptions> = {}) {
  return createRestClient({
    baseUrl: `${fake.origin}/`,
    sdkAppId: SDKAPPID,
    secretKey: KEY,
    ...options,
  });
}

describe('REST client', () => {
  before(async () => {
    fake = await startFakeRestServer();
  });
  after(() => fake.close());

  it('POSTs JSON to /v4/{service}/{command} with the Tencent query and a valid admin UserSig', async () => {
    fake.respond = answer({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    await client().adminSetMsgRead({ Report_Account: 'jared', Peer_Account: 'Jonh', MsgReadTime: 1614754606 });
    const s = fake.seen.at(-1)!;
    assert.equal(s.path, '/v4/openim/admin_set_msg_read');
    assert.deepEqual(s.body, { Report_Account: 'jared', Peer_Account: 'Jonh', MsgReadTime: 1614754606 });
    assert.equal(s.contentType, 'application/json');
    assert.deepEqual([...s.query.keys()], ['sdkappid', 'identifier', 'usersig', 'random', 'contenttype']);
    assert.equal(s.query.get('sdkappid'), String(SDKAPPID));
    assert.equal(s.query.get('identifier'), 'administrator');
    assert.equal(s.query.get('contenttype'), 'json');
    const random = Number(s.query.get('random'));
    assert.ok(Number.isInteger(random) && random >= 0 && random <= 4294967295);
    const sig = await verifyUserSig({
      sdkAppId: SDKAPPID,
      secretKey: KEY,
      userId: 'administrator',
      userSig: s.query.get('usersig')!,
    });
    assert.equal(sig.ok, true);
  });

  it('maps every typed method to its endpoint', async () => {
    fake.respond = answer({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    const im = client({ identifier: 'admin' });
    const MsgBody = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }];
    await im.accountImport({ UserID: 'a' });
    await im.multiaccountImport({ AccountList: [{ UserID: 'b' }] });
    await im.accountCheck({ CheckItem: [{ UserID: 'a' }] });
    await im.sendMsg({ To_Account: 'b', MsgBody });
    await im.batchSendMsg({ To_Account: ['a', 'b'], MsgBody, MsgRandom: 5 });
    await im.getC2cUnreadMsgNum({ To_Account: 'a' });
    await im.adminGetRoamMsg({ From_Account: 'a', To_Account: 'b', MaxCnt: 10, MinTime: 0, MaxTime: 2000000000 });
    await im.adminMsgWithdraw({ From_Account: 'a', To_Account: 'b', MsgKey: 'k' });
    await im.call('readwire_callback', 'get_config');
    await im.getCallbackConfig();
    await im.setCallbackConfig({ Callback: null });
    await im.listCallbackEvents({ State: 'dead' });
    await im.listCallbackAttempts();
    await im.replayCallbacks({ AllDead: true });
    assert.deepEqual(
      fake.seen.slice(-5).map((s) => s.path),
      [
        '/v4/readwire_callback/get_config',
        '/v4/readwire_callback/set_config',
        '/v4/readwire_callback/list_events',
        '/v4/readwire_callback/list_attempts',
        '/v4/readwire_callback/replay',
      ],
    );
    assert.deepEqual(fake.seen.at(-3)!.body, { State: 'dead' });
    const last = fake.seen.slice(-14, -5);
    assert.deepEqual(
      last.map((s) => s.path),
      [
        '/v4/im_open_login_svc/account_import',
        '/v4/im_open_login_svc/multiaccount_import',
        '/v4/im_open_login_svc/account_check',
        '/v4/openim/sendmsg',
        '/v4/openim/batchsendmsg',
        '/v4/openim/get_c2c_unread_msg_num',
        '/v4/openim/admin_getroammsg',
        '/v4/openim/admin_msgwithdraw',
        '/v4/readwire_callback/get_config',
      ],
    );
    assert.equal(typeof (last[3]!.body as { MsgRandom: unknown }).MsgRandom, 'number');
    assert.equal((last[4]!.body as { MsgRandom: unknown }).MsgRandom, 5);
    assert.deepEqual(last[8]!.body, {});
    assert.equal(last[0]!.query.get('identifier'), 'admin');
  });

  it('returns the answer fields', async () => {
    fake.respond = answer({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', AllC2CUnreadMsgNum: 12 });
    const r = await client().getC2cUnreadMsgNum({ To_Account: 'dramon1' });
    assert.equal(r.AllC2CUnreadMsgNum, 12);
  });

  it('reuses one keep-alive connection', async () => {
    fake.respond = answer({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    const im = client();
    await im.accountImport({ UserID: 'warm' });
    const opened = fake.connections;
    for (let i = 0; i < 5; i++) await im.accountImport({ UserID: `u${i}` });
    assert.equal(fake.connections, opened);
  });

  it('throws RestError REST_FAILED with ErrorCode and ErrorInfo on ActionStatus FAIL', async () => {
    fake.respond = answer({ ActionStatus: 'FAIL', ErrorCode: 90054, ErrorInfo: 'MsgKey is not valid' });
    const error = await client()
      .adminMsgWithdraw({ From_Account: 'a', To_Account: 'b', MsgKey: 'nope' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof RestError);
    assert.equal(error.code, 'REST_FAILED');
    assert.equal(error.ErrorCode, 90054);
    assert.equal(error.ErrorInfo, 'MsgKey is not valid');
    assert.equal(error.endpoint, 'openim/admin_msgwithdraw');
    assert.equal(error.response?.ActionStatus, 'FAIL');
  });

  it('renews a generated UserSig once when the API says it expired (70001)', async () => {
    let t = 1_700_000_000_000;
    let n = 0;
    fake.respond = (s, res) => {
      n++;
      t += 1000; // the renewed UserSig is issued a second later
      const expired = { ActionStatus: 'FAIL', ErrorCode: 70001, ErrorInfo: 'UserSig expired' };
      answer(n === 1 ? expired : { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' })(s, res);
    };
    await client({ now: () => t }).accountImport({ UserID: 'x' });
    assert.equal(n, 2);
    const [first, second] = fake.seen.slice(-2);
    assert.notEqual(first!.query.get('usersig'), second!.query.get('usersig'));
  });

  it('does not retry a fixed UserSig', async () => {
    fake.respond = answer({ ActionStatus: 'FAIL', ErrorCode: 70001, ErrorInfo: 'expired' });
    const count = fake.seen.length;
    await assert.rejects(client({ secretKey: undefined, userSig: 'fixed' }).accountImport({ UserID: 'x' }), RestError);
    assert.equal(fake.seen.length, count + 1);
    assert.equal(fake.seen.at(-1)!.query.get('usersig'), 'fixed');
  });

  it('renews the admin UserSig after 90% of its validity', async () => {
    fake.respond = answer({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    let t = 1_700_000_000_000;
    const im = client({ now: () => t, userSigTtlSeconds: 100 });
    await im.accountImport({ UserID: 'x' });
    t += 89_000;
    await im.accountImport({ UserID: 'x' });
    t += 2_000;
    await im.accountImport({ UserID: 'x' });
    const sigs = fake.seen.slice(-3).map((s) => s.query.get('usersig'));
    assert.equal(sigs[0], sigs[1]);
    assert.notEqual(sigs[1], sigs[2]);
  });

  it('reports HTTP errors, non-JSON answers, timeouts and unreachable servers', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof RestError ? e.code : String(e)),
      );
    fake.respond = answer({ error: 'bad gateway' }, 502);
    assert.equal(await code(client().accountImport({ UserID: 'x' })), 'REST_HTTP_STATUS');
    fake.respond = (_s, res) => res.end('<html>');
    assert.equal(await code(client().accountImport({ UserID: 'x' })), 'REST_BAD_RESPONSE');
    fake.respond = () => undefined; // never answers
    assert.equal(await code(client({ timeoutMs: 50 }).accountImport({ UserID: 'x' })), 'REST_TIMEOUT');
    const closed = createRestClient({ baseUrl: 'http://127.0.0.1:1', sdkAppId: SDKAPPID, secretKey: KEY });
    assert.equal(await code(closed.accountImport({ UserID: 'x' })), 'REST_NETWORK');
  });

  it('validates options', () => {
    assert.throws(() => createRestClient({ sdkAppId: SDKAPPID }), SdkOptionsError);
    assert.throws(() => createRestClient({ sdkAppId: SDKAPPID, secretKey: 'k', userSig: 's' }), SdkOptionsError);
    assert.throws(() => createRestClient({ sdkAppId: -1, secretKey: 'k' }), SdkOptionsError);
  });
});
