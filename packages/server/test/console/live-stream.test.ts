/**
 * `POST /v4/readwire_console/live`: a read report shows up as an item and in the next tick within 2 s; callback
 * outcomes stream too; items are sampled per second with the rest counted as Dropped; the stream closes with
 * `expired` when the UserSig expires and with `closed` when the server stops (which does not wait for it).
 */
import assert from 'node:assert/strict';
import { genUserSig } from '@readwire/sdk';
import { after, before, describe, it } from 'node:test';
import { APP_A, KEY_A, report, startDispatchServer, type DispatchServer } from '../dispatch/helpers/dispatch-server.ts';
import { ok, startReceiver, type Receiver } from '../dispatch/helpers/receiver.ts';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { openLive, type SseReader } from './helpers/sse-reader.ts';

const ITEMS_PER_SECOND = 5;
const adminSig = (expireSeconds?: number) =>
  genUserSig({ sdkAppId: APP_A, secretKey: KEY_A, userId: 'administrator', expireSeconds });

async function live(s: DispatchServer, sig?: string): Promise<SseReader> {
  const r = await openLive(s.server.url, APP_A, 'administrator', sig ?? (await adminSig()));
  if ('envelope' in r) throw new Error(`no stream: ${JSON.stringify(r.envelope)}`);
  return r;
}

describe('console live stream', () => {
  let receiver: Receiver;
  let s: DispatchServer;
  before(async () => {
    receiver = await startReceiver(ok());
    s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/cb`, retry: 'none' },
      console: { liveItemsPerSecond: ITEMS_PER_SECOND },
    });
    await s.accounts(['alice', 'bob']);
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it('answers bad or missing credentials with an envelope, not a stream', async () => {
    const missing = await openLive(s.server.url, APP_A, 'administrator', undefined);
    assert.ok('envelope' in missing);
    assert.equal(missing.envelope.ErrorCode, 60025);
    const aliceSig = await genUserSig({ sdkAppId: APP_A, secretKey: KEY_A, userId: 'alice' });
    const user = await openLive(s.server.url, APP_A, 'alice', aliceSig);
    assert.ok('envelope' in user);
    assert.equal(user.envelope.ErrorCode, 60010);
    const wrongKey = await genUserSig({
      sdkAppId: APP_A,
      secretKey: 'another-key-0123456789abcdef',
      userId: 'administrator',
    });
    const bad = await openLive(s.server.url, APP_A, 'administrator', wrongKey);
    assert.ok('envelope' in bad);
    assert.equal(bad.envelope.ErrorCode, 70009);
  });

  it('streams a read report as an item and in a tick within 2 s, then its callback outcome', async () => {
    const stream = await live(s);
    try {
      assert.equal(stream.status, 200);
      await waitFor(() => stream.frames.some((f) => f.event === 'hello'), 'hello frame', 2000);
      await s.call('openim/sendmsg', {
        From_Account: 'bob',
        To_Account: 'alice',
        MsgRandom: 7,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
      });
      const sent = Date.now();
      const r = await report(s, 'alice', 'bob');
      assert.equal(r.ErrorCode, 0, JSON.stringify(r));
      await waitFor(
        () => stream.frames.some((f) => f.event === 'item' && f.data.Kind === 'report'),
        'a report item',
        2000,
      );
      await waitFor(() => stream.frames.some((f) => f.event === 'tick' && f.data.Reports >= 1), 'a tick', 2000);
      assert.ok(Date.now() - sent < 2500);
      const item = stream.frames.find((f) => f.event === 'item' && f.data.Kind === 'report')!.data;
      assert.equal(item.Report_Account, 'alice');
      assert.equal(item.Peer_Account, 'bob');
      assert.equal(item.UnreadMsgNum, 0);
      await waitFor(
        () =>
          stream.frames.some((f) => f.event === 'item' && f.data.Kind === 'callback' && f.data.Outcome === 'delivered'),
        'a delivered callback item',
        5000,
      );
      await waitFor(
        () => stream.frames.some((f) => f.event === 'tick' && f.data.Delivered >= 1),
        'delivered tick',
        3000,
      );
      const tick = stream.frames.find((f) => f.event === 'tick' && f.data.Delivered >= 1)!.data;
      assert.equal(typeof tick.LatencyP50Ms, 'number');
      assert.ok(tick.LatencyP99Ms >= tick.LatencyP50Ms);
    } finally {
      await stream.cancel();
    }
  });

  it('sends at most the per-second item budget and counts the rest as Dropped', async () => {
    const stream = await live(s);
    try {
      await waitFor(() => stream.frames.some((f) => f.event === 'tick'), 'first tick', 3000);
      const from = stream.frames.length;
      await Promise.all(Array.from({ length: 30 }, (_, i) => report(s, 'alice', 'bob', 1000 + i)));
      await waitFor(
        () =>
          stream.frames.slice(from).filter((f) => f.event === 'tick' && f.data.Reports > 0).length >= 1 &&
          stream.frames.slice(from).filter((f) => f.event === 'tick').length >= 3,
        'ticks after the burst',
        6000,
      );
      const frames = stream.frames.slice(from);
      const reports = frames.filter((f) => f.event === 'tick').reduce((n, f) => n + Number(f.data.Reports), 0);
      const dropped = frames.filter((f) => f.event === 'tick').reduce((n, f) => n + Number(f.data.Dropped), 0);
      assert.equal(reports, 30);
      // Between two ticks, never more than the budget.
      let run = 0;
      for (const f of frames) {
        if (f.event === 'tick') run = 0;
        else if (f.event === 'item') assert.ok(++run <= ITEMS_PER_SECOND, 'items within the budget');
      }
      const items = frames.filter((f) => f.event === 'item').length;
      assert.ok(dropped > 0, 'some items were dropped');
      assert.ok(items + dropped >= 30, `items ${items} + dropped ${dropped} cover the 30 reports`);
    } finally {
      await stream.cancel();
    }
  });

  it('closes with an expired frame when the UserSig expires', async () => {
    const stream = await live(s, await adminSig(2));
    const end = await stream.ended;
    const last = stream.frames.at(-1)!;
    assert.equal(last.event, 'expired');
    const hello = stream.frames.find((f) => f.event === 'hello')!;
    assert.ok(end >= hello.data.ExpiresAtMs - 50, 'not before the expiry');
    assert.ok(end - hello.data.ExpiresAtMs < 3000, 'soon after the expiry');
  });

  it('ends open streams when the server stops, and the stop does not wait for them', async () => {
    const other = await startDispatchServer({});
    const stream = await live(other);
    await waitFor(() => stream.frames.some((f) => f.event === 'hello'), 'hello', 2000);
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 5000, 'close did not hang');
    await stream.ended;
    assert.equal(stream.frames.at(-1)!.event, 'closed');
  });
});
