/**
 * `recentcontact/delete` with Tencent's documented request body: the conversation leaves `recentcontact/get_list` and
 * the client gateway's `conversations` with its unread count; `ClearRamble: 1` clears the caller's roaming messages
 * of it (the peer keeps them); a new message brings the conversation back.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, text, type GatewayFixture } from '../gateway/helpers/gateway-fixture.ts';

describe('recentcontact/delete', () => {
  let fx: GatewayFixture;
  let random = 1;
  const send = (from: string, to: string) =>
    fx.rest('sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text('x') });
  const list = async (user: string): Promise<[string, number][]> =>
    (
      (await fx.rest('recentcontact/get_list', {
        From_Account: user,
        TimeStamp: 0,
        StartIndex: 0,
        TopTimeStamp: 0,
        TopStartIndex: 0,
        AssistFlags: 7,
      })) as { SessionItem: { To_Account: string; UnreadMsgNum: number }[] }
    ).SessionItem.map((s) => [s.To_Account, s.UnreadMsgNum]);
  const roam = async (viewer: string, peer: string): Promise<number> =>
    (
      (await fx.rest('admin_getroammsg', {
        Operator_Account: viewer,
        Peer_Account: peer,
        MaxCnt: 100,
        MinTime: 0,
        MaxTime: 4294967295,
      })) as { MsgList: unknown[] }
    ).MsgList.length;
  const unread = async (user: string): Promise<number> =>
    Number((await fx.rest('get_c2c_unread_msg_num', { To_Account: user })).AllC2CUnreadMsgNum);

  before(async () => {
    fx = await startFixture();
    await fx.rest('im_open_login_svc/multiaccount_import', { Accounts: ['id1', 'id2', 'id3'] });
  });
  after(() => fx.close());

  it('answers Tencent’s example body; the list, the gateway, counts and roaming agree', async () => {
    await send('id2', 'id1');
    await send('id1', 'id2');
    await send('id3', 'id1');
    const r = await fx.rest('recentcontact/delete', {
      From_Account: 'id1',
      Type: 1,
      To_Account: 'id2',
      ClearRamble: 1,
    });
    assert.deepEqual(r, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    assert.deepEqual(await list('id1'), [['id3', 1]]);
    const device = await fx.login('id1');
    const gateway = await device.call('conversations', {});
    assert.deepEqual(
      gateway.conversations.map((c: { peer: string; unread: number }) => [c.peer, c.unread]),
      [['id3', 1]],
    );
    device.close();
    assert.equal(await unread('id1'), 1);
    assert.equal(await roam('id1', 'id2'), 0, 'ClearRamble 1: the caller’s roaming messages are cleared');
    assert.equal(await roam('id2', 'id1'), 2, 'the peer keeps them');
    assert.deepEqual(await list('id2'), [['id1', 1]]);
    await send('id2', 'id1');
    assert.deepEqual(await list('id1'), [
      ['id2', 1],
      ['id3', 1],
    ]);
    assert.equal(await roam('id1', 'id2'), 1);
  });

  it('without ClearRamble keeps the history; refuses groups and unknown callers', async () => {
    await send('id3', 'id2');
    const ok = await fx.rest('recentcontact/delete', { From_Account: 'id2', Type: 1, To_Account: 'id3' });
    assert.equal(ok.ErrorCode, 0);
    assert.equal(await roam('id2', 'id3'), 1);
    assert.deepEqual(await list('id2'), [['id1', 1]]);
    const none = await fx.rest('recentcontact/delete', { From_Account: 'id2', Type: 1, To_Account: 'nobody' });
    assert.equal(none.ErrorCode, 0, 'no such conversation: nothing to delete');
    const group = await fx.rest('recentcontact/delete', { From_Account: 'id2', Type: 2, ToGroupid: 'g1' });
    assert.equal(group.ErrorCode, 70402);
    const ghost = await fx.rest('recentcontact/delete', { From_Account: 'ghost', Type: 1, To_Account: 'id2' });
    assert.equal(ghost.ErrorCode, 70107);
    const bad = await fx.rest('recentcontact/delete', {
      From_Account: 'id2',
      Type: 1,
      To_Account: 'id3',
      ClearRamble: 2,
    });
    assert.equal(bad.ErrorCode, 70402);
  });
});
