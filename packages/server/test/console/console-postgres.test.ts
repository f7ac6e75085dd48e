/**
 * The console's store reads on PostgreSQL: get_event by id, replay's DryRun count, user_overview's counts and
 * conversations, and the oldest pending age of endpoint_stats.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { report, startDispatchServer, type DispatchServer } from '../dispatch/helpers/dispatch-server.ts';
import { startReceiver, status, type Receiver } from '../dispatch/helpers/receiver.ts';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { dropSchema, freshSchemaName, PG_TEST_URL } from '../helpers/pg-test-db.ts';

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

describe('console commands on PostgreSQL', () => {
  const schema = freshSchemaName('console');
  let receiver: Receiver;
  let s: DispatchServer;
  const call = async (path: string, body: unknown) => {
    const r = await s.call(path, body);
    assert.equal(r.ErrorCode, 0, `${path}: ${JSON.stringify(r)}`);
    return r;
  };

  before(async () => {
    receiver = await startReceiver(status(500));
    s = await startDispatchServer({
      storage: { postgres: { url: PG_TEST_URL, schema, poolSize: 4 } },
      callbackA: { url: `${receiver.url}/cb`, retry: 'none' },
    });
    await s.accounts(['alice', 'bob', 'carol']);
  });
  after(async () => {
    await s.close();
    await receiver.close();
    await dropSchema(schema);
  });

  it('get_event finds an event by id and replay DryRun counts the dead ones', async () => {
    await call('openim/sendmsg', { From_Account: 'bob', To_Account: 'alice', MsgRandom: 1, MsgBody: text('a') });
    await call('openim/sendmsg', { From_Account: 'carol', To_Account: 'alice', MsgRandom: 2, MsgBody: text('b') });
    await call('openim/sendmsg', { From_Account: 'carol', To_Account: 'alice', MsgRandom: 3, MsgBody: text('c') });
    assert.equal((await report(s, 'alice', 'bob')).ErrorCode, 0);
    await waitFor(
      async () => (await call('readwire_callback/list_events', { State: 'dead' })).Events.length === 1,
      'dead',
    );
    const [event] = (await call('readwire_callback/list_events', { State: 'dead' })).Events;
    const r = await call('readwire_callback/get_event', { EventId: event.EventId });
    assert.equal(r.Event.EventId, event.EventId);
    assert.equal(r.AttemptList.length, 1);
    assert.equal(r.AttemptList[0].Status, 500);
    assert.match(r.AttemptList[0].ResponseExcerpt, /receiver error/);
    assert.equal((await s.call('readwire_callback/get_event', { EventId: 'nope' })).ErrorCode, 96003);
    assert.equal((await call('readwire_callback/replay', { AllDead: true, DryRun: 1 })).Count, 1);
    assert.equal((await call('readwire_callback/replay', { AllDead: true, DryRun: 1, Account: 'carol' })).Count, 0);
  });

  it('user_overview answers the counts get_c2c_unread_msg_num answers', async () => {
    const r = await call('readwire_console/user_overview', { Account: 'alice' });
    const unread = await call('openim/get_c2c_unread_msg_num', { To_Account: 'alice', Peer_Account: ['bob', 'carol'] });
    assert.equal(r.TotalUnread, unread.AllC2CUnreadMsgNum);
    assert.equal(r.TotalUnread, 2);
    assert.deepEqual(
      (r.Conversations as { Peer: string; Unread: number }[]).map((c) => [c.Peer, c.Unread]),
      [
        ['carol', 2],
        ['bob', 0],
      ],
    );
    assert.equal(r.Conversations[0].LastMessage.Text, 'c');
    assert.ok(r.Conversations[1].ReadTime > 0);
  });

  it('endpoint_stats answers the oldest pending age from the store', async () => {
    receiver.behaviour = () => undefined; // hangs: the next event stays pending in flight
    assert.equal((await report(s, 'alice', 'carol')).ErrorCode, 0);
    await waitFor(async () => {
      const [ep] = (await call('readwire_callback/endpoint_stats', {})).Endpoints;
      return ep.OldestPendingAgeMs !== null && ep.InFlight === 1;
    }, 'a pending event in flight');
  });
});
