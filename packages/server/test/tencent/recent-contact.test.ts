/**
 * `recentcontact/get_list` with Tencent's documented request body: the same conversations, order and unread counts
 * as the client gateway's `conversations`, paged by `TimeStamp` + `StartIndex` (ties within one second included).
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, text, type GatewayFixture } from '../gateway/helpers/gateway-fixture.ts';

describe('recentcontact/get_list', () => {
  let fx: GatewayFixture;
  const peers = Array.from({ length: 102 }, (_, i) => `p${String(i).padStart(3, '0')}`);
  before(async () => {
    fx = await startFixture();
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: ['id1', 'id2', 'id4'] });
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: peers.slice(0, 100) });
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: peers.slice(100) });
  });
  after(() => fx.close());

  const list = (body: Record<string, unknown>) =>
    fx.rest('recentcontact/get_list', {
      From_Account: 'id1',
      TimeStamp: 0,
      StartIndex: 0,
      TopTimeStamp: 0,
      TopStartIndex: 0,
      AssistFlags: 7,
      ...body,
    });

  it('lists the conversations as the gateway does, with unread counts', async () => {
    let random = 1;
    const send = (from: string, to: string) =>
      fx.rest('sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text('x') });
    await send('id2', 'id1');
    await send('id2', 'id1');
    await send('id1', 'id4');
    const r = await list({});
    assert.equal(r.ErrorCode, 0);
    assert.equal(r.CompleteFlag, 1);
    const device = await fx.login('id1');
    const gateway = await device.call('conversations', {});
    assert.deepEqual(
      r.SessionItem.map((s: { To_Account: string; UnreadMsgNum: number }) => [s.To_Account, s.UnreadMsgNum]),
      gateway.conversations.map((c: { peer: string; unread: number }) => [c.peer, c.unread]),
    );
    assert.deepEqual(r.SessionItem[0], {
      Type: 1,
      To_Account: 'id4',
      MsgTime: gateway.conversations[0].lastMessage.msgTime,
      TopFlag: 0,
      UnreadMsgNum: 0,
    });
    assert.equal(r.SessionItem[1].UnreadMsgNum, 2);
    for (const flags of [15, 63]) assert.deepEqual((await list({ AssistFlags: flags })).SessionItem, r.SessionItem);
    device.close();
  });

  it('pages by TimeStamp and StartIndex until CompleteFlag is 1, without gaps or repeats', async () => {
    const sent = await fx.rest('batchsendmsg', {
      From_Account: 'id1',
      To_Account: peers,
      MsgRandom: 5,
      MsgBody: text('all'),
    });
    assert.equal(sent.ErrorCode, 0);
    const first = await list({});
    assert.equal(first.CompleteFlag, 0);
    assert.equal(first.SessionItem.length, 100);
    const second = await list({ TimeStamp: first.TimeStamp, StartIndex: first.StartIndex });
    assert.equal(second.CompleteFlag, 1);
    const all = [...first.SessionItem, ...second.SessionItem].map((s: { To_Account: string }) => s.To_Account);
    assert.equal(all.length, 104);
    assert.deepEqual([...new Set(all)].sort(), [...peers, 'id2', 'id4'].sort());
    assert.equal((await list({ From_Account: 'nobody' })).ErrorCode, 70107);
    assert.equal((await list({ TimeStamp: -1 })).ErrorCode, 70402);
  });
});
