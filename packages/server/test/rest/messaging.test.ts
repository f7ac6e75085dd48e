import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APP2_ID, msg, startTestServer, text, type TestServer } from '../helpers/start-test-server.ts';

describe('REST messaging and unread counts', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const r = await t.call('im_open_login_svc/multiaccount_import', {
      AccountList: [{ UserID: 'alice', Nick: 'Alice' }, { UserID: 'bob' }, { UserID: 'carol' }],
    });
    assert.deepEqual(r.FailAccounts, []);
  });
  after(() => t.close());

  const unread = async (user: string, peers?: string[]) =>
    t.call('openim/get_c2c_unread_msg_num', peers ? { To_Account: user, Peer_Account: peers } : { To_Account: user });

  it('account_import is idempotent and account_check reports status; old multiaccount_import form lists failures', async () => {
    assert.equal((await t.call('im_open_login_svc/account_import', { UserID: 'alice', Nick: 'A2' })).ErrorCode, 0);
    const r = await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['dave', 42, 'x'.repeat(40)] });
    assert.deepEqual(r.FailAccounts, ['42', 'x'.repeat(40)]);
    const c = await t.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'dave' }, { UserID: 'erin' }] });
    assert.deepEqual(
      c.ResultItem.map((i: { UserID: string; AccountStatus: string }) => [i.UserID, i.AccountStatus]),
      [
        ['dave', 'Imported'],
        ['erin', 'NotImported'],
      ],
    );
  });

  it('sendmsg answers MsgTime (s) and a unique MsgKey; counts are per conversation and total', async () => {
    const a = await t.call('openim/sendmsg', msg('alice', 'bob'));
    const b = await t.call('openim/sendmsg', msg('carol', 'bob'));
    assert.equal(a.ErrorCode, 0);
    assert.ok(Math.abs(a.MsgTime - Date.now() / 1000) < 5);
    assert.notEqual(a.MsgKey, b.MsgKey);
    const u = await unread('bob', ['alice', 'carol', 'ghost']);
    assert.equal(u.AllC2CUnreadMsgNum, 2);
    assert.deepEqual(u.C2CUnreadMsgNumList, [
      { Peer_Account: 'alice', C2CUnreadMsgNum: 1 },
      { Peer_Account: 'carol', C2CUnreadMsgNum: 1 },
    ]);
    assert.deepEqual(u.ErrorList, [{ Peer_Account: 'ghost', ErrorCode: 70107 }]);
    assert.equal((await unread('alice')).AllC2CUnreadMsgNum, 0, 'the sender’s own message is not unread for it');
  });

  it('suppresses a duplicate (same sender, MsgSeq, MsgRandom, content) and answers the original', async () => {
    const body = { ...msg('alice', 'carol', 'dup'), MsgSeq: 77 };
    const first = await t.call('openim/sendmsg', body);
    const again = await t.call('openim/sendmsg', body);
    assert.equal(again.MsgKey, first.MsgKey);
    assert.equal((await unread('carol', ['alice'])).C2CUnreadMsgNumList[0].C2CUnreadMsgNum, 1);
    const other = await t.call('openim/sendmsg', { ...body, MsgBody: text('different') });
    assert.notEqual(other.MsgKey, first.MsgKey);
    assert.equal((await unread('carol', ['alice'])).C2CUnreadMsgNumList[0].C2CUnreadMsgNum, 2);
  });

  it('NoUnread and OnlineOnlyFlag messages never count', async () => {
    const before = (await unread('alice')).AllC2CUnreadMsgNum;
    assert.equal(
      (await t.call('openim/sendmsg', msg('bob', 'alice', 'q', { SendMsgControl: ['NoUnread'] }))).ErrorCode,
      0,
    );
    assert.equal((await t.call('openim/sendmsg', msg('bob', 'alice', 'typing', { OnlineOnlyFlag: 1 }))).ErrorCode, 0);
    assert.equal((await unread('alice')).AllC2CUnreadMsgNum, before);
  });

  it('admin_set_msg_read reads everything stored before it, not what comes after, in the same second', async () => {
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['r1', 'r2'] });
    for (let i = 0; i < 3; i++) await t.call('openim/sendmsg', msg('r1', 'r2'));
    const read = await t.call('openim/admin_set_msg_read', { Report_Account: 'r2', Peer_Account: 'r1' });
    assert.equal(read.ErrorCode, 0);
    await t.call('openim/sendmsg', msg('r1', 'r2'));
    assert.equal((await unread('r2', ['r1'])).C2CUnreadMsgNumList[0].C2CUnreadMsgNum, 1);
  });

  it('MsgReadTime (number or numeric string) reads messages with MsgTime <= T and never moves back', async () => {
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['t1', 't2'] });
    const s = await t.call('openim/sendmsg', msg('t1', 't2'));
    const s2 = await t.call('openim/sendmsg', msg('t1', 't2'));
    const past = { Report_Account: 't2', Peer_Account: 't1', MsgReadTime: String(s.MsgTime - 1) };
    assert.equal((await t.call('openim/admin_set_msg_read', past)).ErrorCode, 0);
    assert.equal((await unread('t2')).AllC2CUnreadMsgNum, 2);
    await t.call('openim/admin_set_msg_read', { ...past, MsgReadTime: s.MsgTime });
    assert.equal((await unread('t2')).AllC2CUnreadMsgNum, s2.MsgTime === s.MsgTime ? 0 : 1);
    await t.call('openim/admin_set_msg_read', { ...past, MsgReadTime: s2.MsgTime });
    assert.equal((await unread('t2')).AllC2CUnreadMsgNum, 0);
    await t.call('openim/admin_set_msg_read', { ...past, MsgReadTime: 1 });
    assert.equal((await unread('t2')).AllC2CUnreadMsgNum, 0, 'an older MsgReadTime does not unread anything');
  });

  it('a MsgReadTime in the future is clamped to the server clock: later messages count as unread', async () => {
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['f1', 'f2'] });
    await t.call('openim/sendmsg', msg('f1', 'f2'));
    const future = { Report_Account: 'f2', Peer_Account: 'f1', MsgReadTime: '999999999999' };
    assert.equal((await t.call('openim/admin_set_msg_read', future)).ErrorCode, 0);
    assert.equal((await unread('f2')).AllC2CUnreadMsgNum, 0);
    // Messages stamped in a later second than the (clamped) read are unread.
    const clamped = Math.floor(Date.now() / 1000);
    while (Math.floor(Date.now() / 1000) <= clamped) await new Promise((r) => setTimeout(r, 20));
    await t.call('openim/sendmsg', msg('f1', 'f2'));
    await t.call('openim/sendmsg', msg('f1', 'f2'));
    assert.equal((await unread('f2')).AllC2CUnreadMsgNum, 2);
    await t.call('openim/admin_set_msg_read', { ...future, MsgReadTime: 4_000_000_000 });
    assert.equal((await unread('f2')).AllC2CUnreadMsgNum, 0);
  });

  it('batchsendmsg stores one message per recipient with one MsgKey and an ErrorList', async () => {
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['b1', 'b2', 'b3'] });
    const r = await t.call('openim/batchsendmsg', { ...msg('b1', ''), To_Account: ['b2', 'nobody', 'b3'] });
    assert.equal(r.ErrorCode, 0);
    assert.match(r.MsgKey, /^\d+_\d+_\d+$/);
    assert.deepEqual(r.ErrorList, [{ To_Account: 'nobody', ErrorCode: 70107 }]);
    assert.equal((await unread('b2')).AllC2CUnreadMsgNum, 1);
    assert.equal((await unread('b3')).AllC2CUnreadMsgNum, 1);
    const w = await t.call('openim/admin_msgwithdraw', { From_Account: 'b1', To_Account: 'b3', MsgKey: r.MsgKey });
    assert.equal(w.ErrorCode, 0);
    assert.equal((await unread('b3')).AllC2CUnreadMsgNum, 0);
    assert.equal((await unread('b2')).AllC2CUnreadMsgNum, 1, 'recall is per recipient');
  });

  it('admin_getroammsg pages newest first in both directions; recalls are flagged 8; 90054 for a bad key', async () => {
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['h1', 'h2'] });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      const from = i % 2 === 0 ? 'h1' : 'h2';
      keys.push((await t.call('openim/sendmsg', msg(from, from === 'h1' ? 'h2' : 'h1', `m${i}`))).MsgKey as string);
    }
    const recalled = await t.call('openim/admin_msgwithdraw', {
      From_Account: 'h1',
      To_Account: 'h2',
      MsgKey: keys[2],
    });
    assert.equal(recalled.ErrorCode, 0);
    const q = { From_Account: 'h1', To_Account: 'h2', MaxCnt: 2, MinTime: 0, MaxTime: 4102444800 };
    const seen: { MsgKey: string; MsgFlagBits: number }[] = [];
    let page = await t.call('openim/admin_getroammsg', q);
    for (;;) {
      assert.equal(page.ErrorCode, 0);
      seen.push(...page.MsgList);
      if (page.Complete === 1) break;
      page = await t.call('openim/admin_getroammsg', { ...q, MaxTime: page.LastMsgTime, LastMsgKey: page.LastMsgKey });
    }
    assert.deepEqual(
      seen.map((m) => m.MsgKey),
      [...keys].reverse(),
    );
    assert.deepEqual(
      seen.map((m) => m.MsgFlagBits),
      [0, 0, 8, 0, 0],
    );
    const bad = await t.call('openim/admin_msgwithdraw', { From_Account: 'h1', To_Account: 'h2', MsgKey: '1_2_3' });
    assert.equal(bad.ErrorCode, 90054);
    assert.equal((await t.call('openim/admin_getroammsg', { ...q, LastMsgKey: 'nope' })).ErrorCode, 90054);
    // The current Tencent form names the viewing party Operator_Account.
    const current = await t.call('openim/admin_getroammsg', {
      Operator_Account: 'h2',
      Peer_Account: 'h1',
      MaxCnt: 10,
      MinTime: 0,
      MaxTime: 4102444800,
    });
    assert.deepEqual(
      current.MsgList.map((m: { MsgKey: string }) => m.MsgKey),
      [...keys].reverse(),
    );
    assert.equal((await t.call('openim/admin_getroammsg', { MaxCnt: 1, MinTime: 0, MaxTime: 1 })).ErrorCode, 90008);
  });

  it('keeps apps apart: same UserIDs, separate messages and counts', async () => {
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] }, { app: APP2_ID });
    assert.equal(
      (await t.call('openim/get_c2c_unread_msg_num', { To_Account: 'bob' }, { app: APP2_ID })).AllC2CUnreadMsgNum,
      0,
    );
    await t.call('openim/sendmsg', msg('alice', 'bob'), { app: APP2_ID });
    assert.equal(
      (await t.call('openim/get_c2c_unread_msg_num', { To_Account: 'bob' }, { app: APP2_ID })).AllC2CUnreadMsgNum,
      1,
    );
    const check = await t.call(
      'im_open_login_svc/account_check',
      { CheckItem: [{ UserID: 'carol' }] },
      { app: APP2_ID },
    );
    assert.equal(check.ResultItem[0].AccountStatus, 'NotImported');
  });
});
