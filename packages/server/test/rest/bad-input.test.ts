import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { msg, startTestServer, text, type TestServer } from '../helpers/start-test-server.ts';

describe('REST bad input gets a Tencent envelope and changes nothing', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ bodyLimitBytes: 64 * 1024 });
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
  });
  after(() => t.close());

  const unread = async () =>
    (await t.call('openim/get_c2c_unread_msg_num', { To_Account: 'bob' })).AllC2CUnreadMsgNum as number;

  it('90001 for bad JSON on openim, 60003 elsewhere; an empty body is bad JSON', async () => {
    assert.equal((await t.call('openim/sendmsg', null, { raw: '{"To_Account":' })).ErrorCode, 90001);
    assert.equal((await t.call('openim/sendmsg', null, { raw: '' })).ErrorCode, 90001);
    assert.equal((await t.call('openim/sendmsg', null, { raw: '[1]' })).ErrorCode, 90001);
    assert.equal((await t.call('im_open_login_svc/account_import', null, { raw: 'nope' })).ErrorCode, 60003);
  });

  it('60009 for an unknown command, 60002 for a GET', async () => {
    assert.equal((await t.call('openim/no_such_command', {})).ErrorCode, 60009);
    assert.equal((await t.call('nosvc/sendmsg', {})).ErrorCode, 60009);
    const res = await fetch(`${t.url}/v4/openim/sendmsg`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { ErrorCode: number }).ErrorCode, 60002);
  });

  it('sendmsg field errors: 90005 MsgRandom, 90003 To_Account, 90008 From_Account, 90002 MsgBody, 90010 format', async () => {
    const before = await unread();
    assert.equal((await t.call('openim/sendmsg', { To_Account: 'bob', MsgBody: text('x') })).ErrorCode, 90005);
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), MsgRandom: -1 })).ErrorCode, 90005);
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), To_Account: undefined })).ErrorCode, 90003);
    assert.equal((await t.call('openim/sendmsg', msg('alice', 'nobody'))).ErrorCode, 90003);
    assert.equal((await t.call('openim/sendmsg', msg('nobody', 'bob'))).ErrorCode, 90008);
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), MsgBody: 'hi' })).ErrorCode, 90002);
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), MsgBody: [] })).ErrorCode, 90002);
    const badElem = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 5 } }];
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), MsgBody: badElem })).ErrorCode, 90010);
    const unknownElem = [{ MsgType: 'TIMBogusElem', MsgContent: {} }];
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), MsgBody: unknownElem })).ErrorCode, 90010);
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), SyncOtherMachine: 'x' })).ErrorCode, 90031);
    assert.equal((await t.call('openim/sendmsg', { ...msg('alice', 'bob'), MsgLifeTime: 1.5 })).ErrorCode, 90044);
    assert.equal(await unread(), before, 'failed sends changed a count');
  });

  it('80002 for a message over 12 KB; 93000 for a request over the body limit; the server keeps serving', async () => {
    const big = await t.call('openim/sendmsg', msg('alice', 'bob', 'x'.repeat(13 * 1024)));
    assert.equal(big.ErrorCode, 80002);
    const huge = await t.call('openim/sendmsg', msg('alice', 'bob', 'x'.repeat(100 * 1024)));
    assert.equal(huge.ErrorCode, 93000);
    assert.equal((await t.call('openim/sendmsg', msg('alice', 'bob'))).ErrorCode, 0);
  });

  it('admin_set_msg_read: 90008 unknown Report_Account, 90003 unknown Peer_Account, 70402 bad MsgReadTime', async () => {
    assert.equal(
      (await t.call('openim/admin_set_msg_read', { Report_Account: 'zz', Peer_Account: 'alice' })).ErrorCode,
      90008,
    );
    assert.equal(
      (await t.call('openim/admin_set_msg_read', { Report_Account: 'bob', Peer_Account: 'zz' })).ErrorCode,
      90003,
    );
    assert.equal((await t.call('openim/admin_set_msg_read', { Peer_Account: 'alice' })).ErrorCode, 90008);
    const bad = { Report_Account: 'bob', Peer_Account: 'alice', MsgReadTime: 'soon' };
    assert.equal((await t.call('openim/admin_set_msg_read', bad)).ErrorCode, 70402);
  });

  it('get_c2c_unread_msg_num: 90003 for an unknown To_Account, 70402 for more than 10 peers', async () => {
    assert.equal((await t.call('openim/get_c2c_unread_msg_num', { To_Account: 'zz' })).ErrorCode, 90003);
    const peers = Array.from({ length: 11 }, (_, i) => `p${i}`);
    assert.equal(
      (await t.call('openim/get_c2c_unread_msg_num', { To_Account: 'bob', Peer_Account: peers })).ErrorCode,
      70402,
    );
  });

  it('account_import: 70402 for a UserID over 32 bytes or missing', async () => {
    assert.equal((await t.call('im_open_login_svc/account_import', { UserID: 'x'.repeat(33) })).ErrorCode, 70402);
    assert.equal((await t.call('im_open_login_svc/account_import', {})).ErrorCode, 70402);
    const check = await t.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'x'.repeat(33) }] });
    assert.equal(check.ResultItem[0].AccountStatus, 'NotImported');
  });

  it('deeply nested JSON: 90001 on openim, 60003 elsewhere, never 91000; 64 levels still pass', async () => {
    const before = await unread();
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const body = (content: string, type = 'TIMCustomElem') =>
      JSON.stringify({ ...msg('alice', 'bob'), MsgBody: [{ MsgType: type, MsgContent: 'X' }] }).replace('"X"', content);
    assert.equal((await t.call('openim/sendmsg', null, { raw: body(deep) })).ErrorCode, 90001);
    assert.equal((await t.call('openim/sendmsg', null, { raw: body(deep, 'TIMTextElem') })).ErrorCode, 90001);
    const arrays = '['.repeat(20_000) + ']'.repeat(20_000);
    assert.equal((await t.call('openim/batchsendmsg', null, { raw: `{"To_Account":${arrays}}` })).ErrorCode, 90001);
    assert.equal(
      (await t.call('im_open_login_svc/account_import', null, { raw: `{"UserID":${deep}}` })).ErrorCode,
      60003,
    );
    // Brackets inside strings do not count; nesting up to the limit is accepted.
    assert.equal((await t.call('openim/sendmsg', msg('alice', 'bob', '{['.repeat(5000)))).ErrorCode, 0);
    assert.equal((await t.call('openim/sendmsg', msg('alice', 'bob', '\\"{['.repeat(1500)))).ErrorCode, 0);
    const ok = '{"a":'.repeat(58) + '1' + '}'.repeat(58);
    const r = await t.call('openim/sendmsg', null, { raw: body(`{"Data":"x","Ext":${ok}}`) });
    assert.notEqual(r.ErrorCode, 91000);
    assert.equal(await unread(), before + 2 + (r.ErrorCode === 0 ? 1 : 0));
  });

  it('batchsendmsg: 90011 for more than 500 recipients', async () => {
    const to = Array.from({ length: 501 }, (_, i) => `u${i}`);
    assert.equal((await t.call('openim/batchsendmsg', { ...msg('alice', 'bob'), To_Account: to })).ErrorCode, 90011);
  });
});

describe('REST rate limit', () => {
  it('60007 past restRateLimit calls per second per command, per app', async () => {
    const t = await startTestServer({
      apps: [
        {
          sdkAppId: 1400000001,
          secretKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
          restRateLimit: 5,
        },
        {
          sdkAppId: 1400000002,
          secretKey: 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
          restRateLimit: 5,
        },
      ],
    });
    try {
      const body = { CheckItem: [{ UserID: 'a' }] };
      const codes = await Promise.all(Array.from({ length: 8 }, () => t.call('im_open_login_svc/account_check', body)));
      const limited = codes.filter((r) => r.ErrorCode === 60007).length;
      assert.ok(limited >= 2, `expected some 60007, got ${limited}`);
      // Another command and another app have their own buckets.
      assert.equal((await t.call('openim/get_c2c_unread_msg_num', { To_Account: 'administrator' })).ErrorCode, 0);
      assert.equal((await t.call('im_open_login_svc/account_check', body, { app: 1400000002 })).ErrorCode, 0);
    } finally {
      await t.close();
    }
  });
});
