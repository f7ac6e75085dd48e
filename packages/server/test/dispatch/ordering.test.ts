/**
 * Strict order per (app, Report_Account): under concurrent reports and a receiver that fails and stalls at random,
 * each account's callbacks are accepted in commit order, and none is even sent before the previous one of the same
 * account was accepted. Different accounts proceed in parallel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAST_DISPATCHER, report, startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
import { ok, slow, startReceiver, status, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

const REPORTERS = Array.from({ length: 12 }, (_, i) => `u${i}`);
const PEERS = ['p0', 'p1', 'p2', 'p3'];
const REPORTS_PER_REPORTER = 15;

describe('callback order', () => {
  let receiver: Receiver;
  let s: DispatchServer;
  /** Per account: event ids in the order the receiver accepted them (answered 200). */
  const accepted = new Map<string, string[]>();
  const violations: string[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  /** Per account: the event id currently being received, to detect two in flight at once. */
  const inFlight = new Map<string, string>();

  before(async () => {
    receiver = await startReceiver();
    // Deterministic pseudo-random failures and stalls.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    receiver.behaviour = (r, res) => {
      const who = r.json.Report_Account as string;
      const id = r.headers['x-readwire-event-id'] as string;
      const other = inFlight.get(who);
      if (other !== undefined && other !== id) violations.push(`${who}: ${id} sent while ${other} was in flight`);
      inFlight.set(who, id);
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      const x = rand();
      res.on('finish', () => {
        concurrent--;
        inFlight.delete(who);
        if (res.statusCode === 200) accepted.set(who, [...(accepted.get(who) ?? []), id]);
      });
      if (x < 0.25) status(500)(r, res);
      else if (x < 0.35) slow(30)(r, res);
      else ok()(r, res);
    };
    s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/cb`, retry: Array.from({ length: 30 }, () => 0.01) },
      dispatcher: { breakerFailureThreshold: 1000, retryJitter: 0.5 },
    });
    await s.accounts([...REPORTERS, ...PEERS]);
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it('delivers each account’s callbacks one at a time, in commit order, despite failures and concurrency', async () => {
    let readTime = 1_600_000_000;
    const calls: Promise<unknown>[] = [];
    for (let round = 0; round < REPORTS_PER_REPORTER; round++) {
      for (const who of REPORTERS) {
        const peer = PEERS[(round + who.length) % PEERS.length]!;
        calls.push(report(s, who, peer, readTime++));
      }
    }
    const answers = (await Promise.all(calls)) as { ErrorCode: number }[];
    assert.ok(answers.every((a) => a.ErrorCode === 0));
    const total = REPORTERS.length * REPORTS_PER_REPORTER;
    await waitFor(
      () => [...accepted.values()].reduce((n, ids) => n + ids.length, 0) >= total,
      () => `all ${total} callbacks accepted (have ${[...accepted.values()].reduce((n, ids) => n + ids.length, 0)})`,
      60_000,
    );
    assert.deepEqual(violations, []);
    // Commit order per account, from the outbox itself (list_events is newest first).
    for (const who of REPORTERS) {
      const r = await s.call('readwire_callback/list_events', { Account: who, Limit: 1000 });
      const committed = (r.Events as { EventId: string; State: string }[]).map((e) => e.EventId).reverse();
      assert.equal(committed.length, REPORTS_PER_REPORTER);
      assert.deepEqual(accepted.get(who), committed, `${who}'s callbacks in commit order`);
    }
    assert.ok(maxConcurrent > 1, 'different accounts were delivered in parallel');
  });
});

describe('what makes the next callback claimable, without the safety-net poll', () => {
  let receiver: Receiver;
  let s: DispatchServer;

  before(async () => {
    receiver = await startReceiver();
    s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/cb`, retry: [0.05] },
      // A poll this long would show up as a stall: every wake-up below has to come from the work itself.
      dispatcher: { ...FAST_DISPATCHER, pollIntervalMs: 60_000 },
    });
    await s.accounts(['solo', 'peer']);
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it('sends a key’s next callback once the previous is delivered, and a due retry, each at once', async () => {
    // The first attempt fails (a retry in 50 ms); the others are held 20 ms, so later reports of the same account are
    // written while an earlier one is in flight and wait behind it (claimed, parked, unparked by its settle).
    let first = true;
    receiver.behaviour = (r, res) => {
      if (first) {
        first = false;
        status(500)(r, res);
      } else slow(20)(r, res);
    };
    const started = Date.now();
    for (let i = 1; i <= 5; i++) assert.equal((await report(s, 'solo', 'peer', 1_600_000_000 + i)).ErrorCode, 0);
    await waitFor(
      () => receiver.received.filter((r) => r.json.Report_Account === 'solo').length >= 6,
      () => `five callbacks and one retry (have ${receiver.received.length})`,
      5_000,
    );
    assert.ok(Date.now() - started < 5_000);
    const times = receiver.received.map((r) => r.json.LastReadTime as number);
    assert.deepEqual(times, [1_600_000_001, 1_600_000_001, 1_600_000_002, 1_600_000_003, 1_600_000_004, 1_600_000_005]);
  });
});
