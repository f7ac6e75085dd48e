/**
 * Dropped connections: the client reconnects by itself and resumes from its cursor, so everything that happened
 * while it was away arrives once, in order; requests in flight when the network dropped are answered after the
 * reconnect without being applied twice.
 * @module
 */
import assert from 'node:assert/strict';
import type { MessageEvent, ReadwireClient } from '../src/index.ts';
import { after, before, describe, it } from 'node:test';
import { eventually, next, startProxy, startTestServer, type Proxy, type TestServer } from './helpers/test-server.ts';

let ts: TestServer;
let proxy: Proxy;

before(async () => {
  ts = await startTestServer();
  proxy = await startProxy(ts.server.port);
});
after(async () => {
  await proxy.close();
  await ts.close();
});

/** A client that goes through the proxy, reconnecting quickly. */
function viaProxy(userId: string): ReadwireClient {
  return ts.client(userId, {
    url: `ws://127.0.0.1:${proxy.port}/v1/client`,
    reconnect: { minDelayMs: 50, maxDelayMs: 200 },
  });
}

describe('reconnect and resume', () => {
  it('replays what was missed during a drop — messages, reads, recalls — once and in order', async () => {
    const carol = ts.client('carol');
    const dave = viaProxy('dave');
    await Promise.all([carol.connect(), dave.connect()]);
    const events: string[] = [];
    dave.on('message', (e: MessageEvent) =>
      events.push(`message:${e.message.recalled ? '(recalled)' : String(e.message.body[0]?.MsgContent.Text)}`),
    );
    dave.on('unread', (e) => events.push(`unread:${e.unread.total}`));
    dave.on('peerRead', (e) => events.push(`peerRead:${e.peer}`));
    dave.on('withdraw', () => events.push('withdraw'));
    await carol.send('dave', 'before');
    await eventually(() => events.length === 1);

    proxy.setDown(true);
    proxy.cut();
    await eventually(() => dave.state === 'reconnecting');
    const cursorAtDrop = dave.cursor;
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push(await carol.send('dave', `missed ${i}`));
    await ts.rest('admin_set_msg_read', { Report_Account: 'dave', Peer_Account: 'carol' }); // dave read on the web admin
    await carol.markRead('dave');
    await ts.rest('admin_msgwithdraw', { From_Account: 'carol', To_Account: 'dave', MsgKey: sent[4]!.message!.msgKey });

    const syncedAgain = next(dave, 'synced', 10_000);
    proxy.setDown(false);
    const synced = await syncedAgain;
    assert.notEqual(synced.cursor, cursorAtDrop);
    assert.deepEqual(events, [
      'message:before',
      'message:missed 1',
      'message:missed 2',
      'message:missed 3',
      'message:missed 4',
      'message:(recalled)', // replayed as it is now: recalled before dave came back
      'unread:0',
      'peerRead:carol',
      'withdraw',
    ]);
    // And live again afterwards.
    await carol.send('dave', 'after');
    await eventually(() => events.at(-1) === 'message:after');
  });

  it('a send whose answer was lost in the drop is answered after the reconnect and stored once', async () => {
    const erin = viaProxy('erin');
    const frank = ts.client('frank');
    await Promise.all([erin.connect(), frank.connect()]);
    const received: string[] = [];
    frank.on('message', (e) => received.push(e.message.msgKey));
    // The server stores the message, then the network drops before the answer gets back.
    const stored = new Promise<void>((resolve) => {
      ts.server.services.events.once('message', () => {
        proxy.cut();
        resolve();
      });
    });
    const sending = erin.send('frank', 'in flight');
    await stored;
    const result = await sending;
    assert.equal(result.duplicate, true, 'the resent request was recognised as the same message');
    await eventually(() => received.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(received, [result.message!.msgKey]);
    const page = await frank.messages('erin');
    assert.equal(page.messages.length, 1);
  });

  it('resumes across client instances from a saved cursor', async () => {
    const gina = ts.client('gina');
    const first = ts.client('hank');
    const firstSynced = next(first, 'synced');
    await Promise.all([gina.connect(), first.connect()]);
    await firstSynced;
    const firstMessage = next(first, 'message');
    await gina.send('hank', 'first');
    await firstMessage;
    const saved = first.cursor!;
    await first.close();
    await gina.send('hank', 'while closed');
    const second = ts.client('hank', { cursor: saved });
    const got = next<MessageEvent>(second, 'message');
    await second.connect();
    assert.equal((await got).message.body[0]?.MsgContent.Text, 'while closed');
  });
});
