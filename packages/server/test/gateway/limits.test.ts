/**
 * Per-connection limits and isolation: bad frames, oversized frames, request rate, slow consumers and dead peers are
 * each answered or cut off on their own connection, while every other connection carries on.
 * @module
 */
import assert from 'node:assert/strict';
import { APP, sendData, startFixture, text, type GatewayFixture } from './helpers/gateway-fixture.ts';
import { after, before, describe, it } from 'node:test';
import { RawClient } from './helpers/raw-client.ts';

let fx: GatewayFixture;
let bystander: RawClient;
before(async () => {
  fx = await startFixture({
    gateway: { maxFrameBytes: 4096, requestsPerSecond: 5, maxBufferedBytes: 64 * 1024 },
  });
  bystander = await fx.login('bystander');
});
after(async () => {
  bystander.close();
  await fx.close();
});

/** The bystander still gets answers and pushes. */
async function bystanderIsFine(): Promise<void> {
  assert.equal((await bystander.request('ping')).ok, true);
}

describe('bad frames', () => {
  it('answers each malformed frame with 60003 and keeps the connection', async () => {
    const c = await fx.login('mallory');
    const frames = ['not json', '[1,2]', '"text"', 'null', '{"op":"ping"}', '{"id":{},"op":"ping"}', '{"id":1}'];
    for (const f of frames) {
      const before = c.frames.length;
      c.sendRaw(f);
      const reply = await c.waitFor((x) => x.type === 'reply' && x.id === null, 5000, before);
      assert.equal(reply.error!.code, 60003, f);
      await new Promise((r) => setTimeout(r, 210)); // stay within the request rate
    }
    const before2 = c.frames.length;
    c.sendRaw(Buffer.from('{"id":1,"op":"ping"}'), true);
    assert.equal((await c.waitFor((x) => x.type === 'reply' && x.id === null, 5000, before2)).error!.code, 60003);
    await new Promise((r) => setTimeout(r, 210));
    assert.equal((await c.request('ping')).ok, true);
    await bystanderIsFine();
    c.close();
  });

  it('closes only the offending connection on invalid UTF-8 (1007)', async () => {
    const c = await fx.login('mallory');
    c.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    assert.equal((await c.closed).code, 1007);
    await bystanderIsFine();
  });
});

describe('frame size', () => {
  it('answers a frame over maxFrameBytes with 93000 and keeps the connection', async () => {
    const c = await fx.login('oscar');
    c.sendRaw(JSON.stringify({ id: 9, op: 'send', data: sendData('bystander', 'x'.repeat(5000)) }));
    const reply = await c.waitFor((x) => x.type === 'reply' && x.id === null);
    assert.equal(reply.error!.code, 93000);
    assert.match(reply.error!.info, /exceeds maxFrameBytes 4096/);
    assert.equal((await c.request('ping')).ok, true);
    c.close();
  });

  it('closes the connection (1009) on a frame over four times the limit', async () => {
    const c = await fx.login('oscar');
    c.sendRaw(JSON.stringify({ id: 9, op: 'ping', data: 'x'.repeat(20_000) }));
    assert.equal((await c.closed).code, 1009);
    await bystanderIsFine();
  });
});

describe('request rate', () => {
  it('answers requests over the rate with 60018, then recovers', async () => {
    const c = await fx.login('peggy');
    await new Promise((r) => setTimeout(r, 2100)); // a full bucket: 2 × 5 requests
    const replies = await Promise.all(Array.from({ length: 20 }, () => c.request('ping')));
    const limited = replies.filter((r) => !r.ok);
    // A burst of 10 passes (plus what refills while the 20 are read); the rest is limited.
    assert.ok(limited.length >= 5 && limited.length <= 10, `${limited.length} limited`);
    assert.ok(limited.every((r) => r.error!.code === 60018));
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await c.request('ping')).ok, true);
    c.close();
  });

  it('closes a connection that keeps flooding (4029)', async () => {
    const c = await fx.login('peggy');
    for (let i = 0; i < 200; i++) c.sendRaw(JSON.stringify({ id: i, op: 'ping' }));
    assert.equal((await c.closed).code, 4029);
    await bystanderIsFine();
  });
});

describe('slow consumers and dead peers', () => {
  it('cuts off a client that does not read (4008) while others carry on, and it resumes afterwards', async () => {
    const slow = await fx.login('sloth');
    await slow.push('synced');
    const cursor = slow.frames.at(-1)!.data!.cursor as string;
    const fast = await fx.login('sloth');
    await fast.push('synced');
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(11_000);
    const slowDisconnects = async () => {
      const m = await fx.server.metrics.registry.getSingleMetric('readwire_gateway_disconnects_total')!.get();
      return m.values
        .filter((v) => String(v.labels.reason).startsWith('slow consumer'))
        .reduce((n, v) => n + v.value, 0);
    };
    let sent = 0;
    while ((await slowDisconnects()) === 0) {
      assert.ok(sent < 3000, 'the slow consumer is cut off before 3,000 messages (33 MB) queue up');
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fx.rest('sendmsg', {
            From_Account: 'bystander',
            To_Account: 'sloth',
            MsgRandom: sent + i,
            MsgBody: text(big),
          }),
        ),
      );
      sent += 20;
    }
    // The other device of the same user got every message, live.
    await fast.waitFor(() => fast.pushes('message').length === sent, 10_000).catch(() => undefined);
    assert.equal(fast.pushes('message').length, sent);
    assert.equal(await slowDisconnects(), 1);
    await bystanderIsFine();
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code, reason } = await slow.closed;
    assert.equal(code, 4008);
    assert.match(reason, /slow consumer/);
    // Reconnecting from its cursor, it gets everything (paced by how fast it reads now).
    const back = await fx.login('sloth', { cursor });
    await back.push('synced', () => true, 30_000);
    assert.equal(back.pushes('message').length, sent);
    back.close();
    fast.close();
  });
});

describe('heartbeats', () => {
  let hb: GatewayFixture;
  before(async () => {
    hb = await startFixture({ gateway: { heartbeatMs: 300 } });
  });
  after(() => hb.close());

  it('drops a connection that stops answering pings, and only that one', async () => {
    const alive = await hb.login('alive');
    const c = await RawClient.connect(hb.wsUrl, { autoPong: false });
    await c.call('login', { sdkAppId: APP, userId: 'ghost', userSig: await hb.sig('ghost') });
    const { code } = await c.closed;
    assert.equal(code, 1006);
    assert.equal((await alive.request('ping')).ok, true);
    alive.close();
  });
});
