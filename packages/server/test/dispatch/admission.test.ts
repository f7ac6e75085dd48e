import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { report, startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
import { ok, slow, startReceiver, status, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

// Delivery admission: writes that send callbacks are paced by deliveries while an app's backlog is at
// `admissionBacklog`, so REST at full speed cannot leave callbacks far behind. The receiver here is healthy but
// limited (2 connections, 100 ms per answer: about 20 callbacks/s), far below what 24 REST clients can write even on
// a busy machine.

const BACKLOG = 40;
const CLIENTS = 24;
const open: { close(): Promise<void> }[] = [];
after(async () => {
  for (const o of open.reverse()) await o.close();
});

/** Runs `CLIENTS` closed-loop reporters for `ms`; samples acknowledged-but-undelivered reports every 10 ms. */
async function overload(s: DispatchServer, receiver: Receiver, ms: number) {
  const users = Array.from({ length: CLIENTS * 4 }, (_, i) => `u${i}`);
  await s.accounts([...users, 'peer']);
  let acked = 0;
  let maxBacklog = 0;
  const delivered = () => new Set(receiver.received.map((r) => r.body)).size;
  const sampler = setInterval(() => (maxBacklog = Math.max(maxBacklog, acked - delivered())), 10);
  const end = Date.now() + ms;
  let t = 1_700_000_000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; Date.now() < end; i++) {
        const r = await report(s, users[c * 4 + (i % 4)]!, 'peer', ++t);
        assert.equal(r.ErrorCode, 0, JSON.stringify(r));
        acked++;
      }
    }),
  );
  clearInterval(sampler);
  return { acked, maxBacklog, delivered };
}

test('under REST overload the undelivered backlog stays near admissionBacklog while the endpoint is healthy', async (t) => {
  const receiver = await startReceiver(slow(100, ok()));
  open.push(receiver);
  const s = await startDispatchServer({
    callbackA: { url: receiver.url },
    dispatcher: { concurrencyPerEndpoint: 2, admissionBacklog: BACKLOG, admissionMaxWaitMs: 30_000 },
  });
  open.push(s);
  const r = await overload(s, receiver, 4000);
  assert.ok(r.acked > BACKLOG + 10, `enough load to matter (${r.acked} acknowledged)`);
  // The admission counts a write when it is admitted, so at most BACKLOG + the writes already past it are undelivered;
  // a margin covers the attempts in flight and the sampling.
  t.diagnostic(`acknowledged ${r.acked}, most undelivered at once ${r.maxBacklog}`);
  assert.ok(r.maxBacklog <= BACKLOG + CLIENTS + 8, `backlog bounded: max ${r.maxBacklog}`);
  await waitFor(() => r.delivered() >= r.acked, 'every acknowledged report delivered');
});

test('without admission the same overload builds a backlog far above it (the bound above is the admission’s)', async (t) => {
  const receiver = await startReceiver(slow(100, ok()));
  open.push(receiver);
  const s = await startDispatchServer({
    callbackA: { url: receiver.url },
    dispatcher: { concurrencyPerEndpoint: 2, admissionBacklog: 0 },
  });
  open.push(s);
  const r = await overload(s, receiver, 4000);
  t.diagnostic(`acknowledged ${r.acked}, most undelivered at once ${r.maxBacklog}`);
  assert.ok(r.maxBacklog > BACKLOG + CLIENTS + 8, `backlog unbounded: max ${r.maxBacklog}`);
});

test('a failing endpoint does not pace writes: its events wait in the store and REST keeps its speed', async () => {
  const receiver = await startReceiver(status(500));
  open.push(receiver);
  const s = await startDispatchServer({
    callbackA: { url: receiver.url },
    dispatcher: { concurrencyPerEndpoint: 4, admissionBacklog: 5, admissionMaxWaitMs: 30_000, breakerOpenMs: 60_000 },
  });
  open.push(s);
  await s.accounts(['a', 'peer']);
  const started = Date.now();
  for (let i = 1; i <= 60; i++) assert.equal((await report(s, 'a', 'peer', 1_700_000_000 + i)).ErrorCode, 0);
  // 60 sequential writes with pacing would each wait for a delivery that never comes (30 s); without, they are quick.
  assert.ok(Date.now() - started < 20_000, `writes were not held (${Date.now() - started} ms)`);
});
