/**
 * `markAllRead` through `@readwire/client` and a real server, with the app backend built on `@readwire/sdk`: the
 * typed `C2C.CallbackAfterMsgReadAll` handler gets `Report_Account`, `EventTime` and `GroupReadInfo: []`, the user's
 * other device clears its badges (`unread`) and the peer sees the conversation read (`peerRead`).
 * @module
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createCallbackReceiver, type AfterMsgReadAllPayload, type CallbackContext } from '@readwire/sdk';
import { createNodeListener } from '@readwire/sdk/node';
import type { ReadwireClient } from '../src/index.ts';
import { eventually, next, startTestServer, type TestServer } from './helpers/test-server.ts';

let ts: TestServer;
let backend: Server;
const readAll: { event: AfterMsgReadAllPayload; ctx: CallbackContext<'C2C.CallbackAfterMsgReadAll'> }[] = [];
let jo: ReadwireClient, joPhone: ReadwireClient, kim: ReadwireClient;

before(async () => {
  const receiver = createCallbackReceiver({ sdkAppId: 1400000777 }).on('C2C.CallbackAfterMsgReadAll', (event, ctx) => {
    readAll.push({ event, ctx });
  });
  backend = createServer(createNodeListener(receiver));
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as { port: number }).port;
  ts = await startTestServer({
    callbackUrl: `http://127.0.0.1:${port}/cb`,
    callbackCommands: ['C2C.CallbackAfterMsgReadAll'],
  });
  jo = ts.client('jo', { platform: 'Web' });
  joPhone = ts.client('jo', { platform: 'Android' });
  kim = ts.client('kim', { platform: 'Mac' });
  await Promise.all([jo, joPhone, kim].map((c) => c.connect()));
});
after(async () => {
  await ts.close();
  await new Promise((r) => backend.close(r));
});

describe('markAllRead', () => {
  it('clears every count, reaches the other device, the peer and the SDK handler', async () => {
    const got = next(jo, 'message');
    await kim.send('jo', 'one');
    await kim.send('jo', 'two');
    await got;
    await ts.rest('sendmsg', {
      From_Account: 'admin',
      To_Account: 'jo',
      MsgRandom: 5,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }],
    });
    await eventually(async () => (await jo.totalUnread()).totalUnread === 3);
    const onPhone = next(joPhone, 'unread');
    const onKim = next(kim, 'peerRead');
    const r = await jo.markAllRead();
    assert.equal(r.totalUnread, 0);
    assert.deepEqual(r.peers.map((p) => p.peer).sort(), ['admin', 'kim']);
    assert.equal((await onPhone).unread.total, 0);
    assert.equal((await onKim).peer, 'jo');
    assert.equal((await jo.conversations()).totalUnread, 0);
    const cb = await eventually(() => readAll[0]);
    assert.equal(cb.event.Report_Account, 'jo');
    assert.deepEqual(cb.event.GroupReadInfo, []);
    assert.ok(cb.event.EventTime > 0);
    assert.equal(cb.ctx.optPlatform, 'Web');
  });
});
