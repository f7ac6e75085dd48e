/** The README's Usage example, verbatim apart from the stubbed database, against real HTTP requests. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallbackReceiver } from '@readwire/sdk';
import { createNodeListener } from '@readwire/sdk/node';
import { callbackUrl, reportBody } from './helpers/callback-fixtures.ts';
import { describe, it } from 'node:test';

const marked: unknown[][] = [];
const db = { markRead: (...args: unknown[]) => Promise.resolve(void marked.push(args)) };

describe('README', () => {
  it('Usage example', async () => {
    process.env.IM_CALLBACK_TOKEN = 'xxxxyyyy';
    // --- README ---
    const receiver = createCallbackReceiver({
      sdkAppId: 1400000000,
      tokens: process.env.IM_CALLBACK_TOKEN, // the token set in the console or in Readwire's callback config
    });

    receiver.on('C2C.CallbackAfterMsgReport', async (event, ctx) => {
      // event: { Report_Account, Peer_Account, LastReadTime, UnreadMsgNum?, EventTime? }, all typed
      await db.markRead(event.Report_Account, event.Peer_Account, event.LastReadTime, ctx.eventId);
    });

    const server = createServer(createNodeListener(receiver, { path: '/im/callback' })).listen(0, '127.0.0.1');
    // --- end of README ---
    await once(server, 'listening');
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(origin + (await callbackUrl()), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-readwire-event-id': 'evt_readme' },
        body: JSON.stringify(reportBody()),
      });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
      assert.deepEqual(marked, [['jared', 'Jonh', 1614754606, 'evt_readme']]);
      const other = await fetch(`${origin}/elsewhere`, { method: 'POST', body: '{}' });
      assert.equal(other.status, 404);
    } finally {
      server.close();
    }
  });
});
