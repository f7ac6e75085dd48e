/**
 * Devices per user: a login beyond `maxConnectionsPerUser` kicks the user's oldest connection (4409), never the new
 * one, and a send to the user stays as fast as to a user with one device.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFixture, text, type GatewayFixture } from './helpers/gateway-fixture.ts';
import type { RawClient } from './helpers/raw-client.ts';

let fx: GatewayFixture;
before(async () => {
  fx = await startFixture({ gateway: { maxConnectionsPerUser: 3, maxPendingPerAddress: 200 } });
});
after(() => fx.close());

let random = 1;
async function sendTo(to: string): Promise<number> {
  const started = performance.now();
  const r = await fx.rest('sendmsg', {
    From_Account: 'admin',
    To_Account: to,
    MsgRandom: random++,
    MsgBody: text('hi'),
  });
  assert.equal(r.ActionStatus, 'OK');
  return performance.now() - started;
}

describe('devices per user', () => {
  it('kicks the oldest connection with 4409 when one more logs in; the others keep receiving', async () => {
    const devices: RawClient[] = [];
    for (let i = 0; i < 3; i++) devices.push(await fx.login('kim', { platform: 'Android' }));
    const newest = await fx.login('kim', { platform: 'Web' });
    const { code, reason } = await Promise.race([
      devices[0]!.closed,
      sleep(5000).then(() => ({ code: 0, reason: 'still open after 5 s' })),
    ]);
    assert.equal(code, 4409);
    assert.match(reason, /kicked/);
    await sendTo('kim');
    for (const d of [devices[1]!, devices[2]!, newest]) {
      await d.push('message');
      assert.equal((await d.request('ping')).ok, true);
    }
    for (const d of [devices[1]!, devices[2]!, newest]) d.close();
  });

  it('after 60 logins of one user only the 3 newest stay, and a send to the user stays fast', async (t) => {
    const all: RawClient[] = [];
    for (let i = 0; i < 60; i++) all.push(await fx.login('lee'));
    const codes = await Promise.all(
      all.slice(0, 57).map((c) => Promise.race([c.closed.then((x) => x.code), sleep(5000).then(() => 0)])),
    );
    assert.ok(
      codes.every((c) => c === 4409),
      `close codes ${[...new Set(codes)].join(',')}`,
    );
    const one = await fx.login('solo');
    const toMany: number[] = [];
    const toOne: number[] = [];
    for (let i = 0; i < 30; i++) {
      toMany.push(await sendTo('lee'));
      toOne.push(await sendTo('solo'));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    t.diagnostic(
      `sendmsg median ${median(toMany).toFixed(2)} ms to lee (3 devices), ${median(toOne).toFixed(2)} ms to solo`,
    );
    assert.ok(median(toMany) < Math.max(20, 3 * median(toOne)), 'a send to the many-device user is not slower');
    for (const c of all.slice(57)) assert.equal((await c.request('ping')).ok, true);
    for (const c of [...all.slice(57), one]) c.close();
  });
});
