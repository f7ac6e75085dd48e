/**
 * Strict order per (app, Report_Account): under concurrent reports and a receiver that fails and stalls at random,
 * each account's callbacks are accepted in commit order, and none is even sent before the previous one of the same
 * account was accepted. Different accounts proceed in parallel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { report, startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
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
