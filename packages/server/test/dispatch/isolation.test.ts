/**
 * A slow or dead endpoint of one app delays nobody else: app B is delivered in full while every attempt to app A's
 * hanging endpoint is still open; A never has more requests open than its concurrency limit; a refusing endpoint
 * opens its circuit breaker (no more attempts, no retries used up) and is drained once it comes back.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { APP_A, APP_B, report, startDispatchServer } from './helpers/dispatch-server.ts';
import { hang, ok, startReceiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

const ACCOUNTS = Array.from({ length: 20 }, (_, i) => `u${i}`);

/** A port nobody listens on (connections are refused). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('endpoint isolation', () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('delivers app B in full while app A’s endpoint hangs, and caps A at its concurrency limit', async () => {
    const hanging = await startReceiver(hang);
    const healthy = await startReceiver(ok());
    let open = 0;
    let maxOpen = 0;
    hanging.behaviour = (_r, res) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      res.on('close', () => open--);
    };
    const s = await startDispatchServer({
      callbackA: { url: `${hanging.url}/a`, timeoutMs: 60_000 },
      callbackB: { url: `${healthy.url}/b` },
      dispatcher: { concurrencyPerEndpoint: 4, stopGraceMs: 0 },
    });
    cleanup.push(
      () => s.close(),
      () => hanging.close(),
      () => healthy.close(),
    );
    await s.accounts([...ACCOUNTS, 'peer'], APP_A);
    await s.accounts([...ACCOUNTS, 'peer'], APP_B);
    for (const who of ACCOUNTS) {
      assert.equal((await report(s, who, 'peer', undefined, APP_A)).ErrorCode, 0);
      assert.equal((await report(s, who, 'peer', undefined, APP_B)).ErrorCode, 0);
    }
    await waitFor(() => healthy.received.length === ACCOUNTS.length, 'all of app B’s callbacks');
    await waitFor(() => hanging.received.length === 4, 'app A’s endpoint to hold 4 requests');
    assert.equal(open, 4, 'none of app A’s attempts has finished yet');
    assert.equal(maxOpen, 4, 'app A never had more than concurrencyPerEndpoint requests open');
    const pendingA = await s.call('readwire_callback/list_events', { State: 'pending' }, APP_A);
    assert.equal(pendingA.Events.length, ACCOUNTS.length);
  });

  it('opens the breaker of a refusing endpoint without using up retries, then drains it when it is back', async () => {
    const port = await freePort();
    const healthy = await startReceiver(ok());
    const s = await startDispatchServer({
      callbackA: { url: `http://127.0.0.1:${port}/a`, retry: [0.05, 0.05, 0.05, 0.05, 0.05] },
      callbackB: { url: `${healthy.url}/b` },
      dispatcher: { breakerFailureThreshold: 3, breakerOpenMs: 300, breakerMaxOpenMs: 600 },
    });
    cleanup.push(
      () => s.close(),
      () => healthy.close(),
    );
    await s.accounts([...ACCOUNTS, 'peer'], APP_A);
    await s.accounts(['b0', 'peer'], APP_B);
    for (const who of ACCOUNTS) assert.equal((await report(s, who, 'peer', undefined, APP_A)).ErrorCode, 0);
    const metric = async (name: string) => {
      const text = await (await fetch(`${s.server.url}/metrics`)).text();
      return text.split('\n').filter((l) => l.startsWith(name));
    };
    await waitFor(
      async () => (await metric('readwire_callback_endpoint_breaker_open')).some((l) => l.endsWith(' 1')),
      'the breaker of app A’s endpoint to open',
    );
    // While A is refused, B is unaffected.
    assert.equal((await report(s, 'b0', 'peer', undefined, APP_B)).ErrorCode, 0);
    await waitFor(() => healthy.received.length === 1, 'app B’s callback');
    // Probes go one at a time; events wait without dying although the schedule allows only 6 attempts.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const dead = await s.call('readwire_callback/list_events', { State: 'dead' }, APP_A);
    assert.equal(dead.Events.length, 0, 'no event died while the endpoint was down');
    const back = await startReceiver(ok(), port);
    cleanup.push(() => back.close());
    await waitFor(
      () => new Set(back.received.map((r) => r.json.Report_Account as string)).size === ACCOUNTS.length,
      'A drained',
    );
    await waitFor(
      async () => (await metric('readwire_callback_endpoint_breaker_open')).every((l) => l.endsWith(' 0')),
      'the breaker to close',
    );
    const depth = await metric('readwire_callback_queue_depth');
    assert.ok(
      depth.every((l) => l.endsWith(' 0')),
      depth.join('\n'),
    );
  });
});
