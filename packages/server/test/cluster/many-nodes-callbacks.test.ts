/**
 * Callbacks from three real server processes on one schema, counted per event id at a real receiver, while one node
 * is killed with SIGKILL under load: every committed event is delivered, in commit order per ordering key, and the
 * only duplicates are the killed node's attempts that were in flight (they have no recorded outcome).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { slow, startReceiver, type Receiver } from '../dispatch/helpers/receiver.ts';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { startCluster, type Cluster } from './helpers/cluster.ts';

const REPORTERS = Array.from({ length: 24 }, (_, i) => `r${i}`);
const PEERS = ['p0', 'p1', 'p2'];
let c: Cluster;
let receiver: Receiver;

before(async () => {
  receiver = await startReceiver(slow(10));
  c = await startCluster({
    nodes: 3,
    callback: { url: `${receiver.url}/cb`, commands: ['C2C.CallbackAfterMsgReport'], timeoutMs: 1000 },
    dispatcher: { leaseMs: 1000 },
  });
  await c.accounts([...REPORTERS, ...PEERS]);
});
after(async () => {
  await c?.close();
  await receiver?.close();
});

describe('callbacks across nodes', () => {
  it('delivers every event, in order per key, across a node’s SIGKILL under load', async () => {
    let acknowledged = 0;
    let failedOnKilled = 0;
    let stop = false;
    let killedAt = Infinity;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const live = c.nodes.filter((n) => n.alive);
        const node = live[(w + i) % live.length]!.index;
        const reporter = REPORTERS[(w * 5 + i) % REPORTERS.length]!;
        try {
          const r = await c.call(node, 'openim/admin_set_msg_read', {
            Report_Account: reporter,
            Peer_Account: PEERS[i % PEERS.length],
          });
          assert.equal(r.ErrorCode, 0, JSON.stringify(r));
          acknowledged++;
        } catch (error) {
          if (node !== 0 || killedAt === Infinity) throw error;
          failedOnKilled++;
        }
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    await waitFor(() => acknowledged >= 300, '300 reports acknowledged', 30_000);
    killedAt = Date.now();
    await c.kill(0, 'SIGKILL');
    // Arrivals are stamped by this (busy) event loop: one sent before the exit may be stamped after it (seconds at a
    // load of 15 on two cores).
    const deadAt = Date.now() + 2000;
    const atKill = acknowledged;
    await waitFor(() => acknowledged >= atKill + 300, '300 more reports on the surviving nodes', 30_000);
    stop = true;
    await Promise.all(workers);

    const events = await c.sql<{ id: string; event_id: string; ordering_key: string; state: string }>(
      'SELECT id, event_id, ordering_key, state FROM callback_events ORDER BY id',
    );
    assert.ok(events.length >= acknowledged, `${events.length} events for ${acknowledged} acknowledged reports`);
    const ids = new Set(events.map((e) => e.event_id));
    const firstSeen = () => new Set(receiver.received.map((r) => String(r.headers['x-readwire-event-id'])));
    // The survivors see the killed node's connections close and end its leases at once (else they would expire after
    // timeoutMs + 10 s), then deliver its events.
    await waitFor(
      () => {
        const seen = firstSeen();
        return [...ids].every((id) => seen.has(id));
      },
      async () => {
        const seen = firstSeen();
        const states = await c.sql(
          `SELECT state, parked, lease_owner IS NOT NULL AS leased, next_attempt_at <= $1 AS due, count(*) AS n
             FROM callback_events GROUP BY 1, 2, 3, 4`,
          [Date.now()],
        );
        return `${[...ids].filter((id) => !seen.has(id)).length} of ${ids.size} events not received; ${JSON.stringify(states)}`;
      },
      45_000,
      100,
    );
    await waitFor(
      async () => (await c.sql(`SELECT 1 FROM callback_events WHERE state <> 'delivered' LIMIT 1`)).length === 0,
      'every event delivered',
      15_000,
    );

    const allDeliveredMs = Date.now() - killedAt;
    // Per ordering key, events first arrive in commit (row id) order.
    const rowOf = new Map(events.map((e) => [e.event_id, Number(e.id)]));
    const keyOf = new Map(events.map((e) => [e.event_id, e.ordering_key]));
    const lastRow = new Map<string, number>();
    const copies = new Map<string, { attempt: number; at: number }[]>();
    for (const r of receiver.received) {
      const id = String(r.headers['x-readwire-event-id']);
      const attempt = Number(r.headers['x-readwire-attempt']);
      const list = copies.get(id) ?? [];
      copies.set(id, [...list, { attempt, at: r.at }]);
      if (list.length > 0) continue;
      const key = keyOf.get(id)!;
      assert.ok((lastRow.get(key) ?? 0) < rowOf.get(id)!, `event ${id} of ${key} arrived before an earlier one`);
      lastRow.set(key, rowOf.get(id)!);
    }

    // Duplicates: the killed node's attempts that were in flight (sent before the kill, never recorded), and attempts
    // recorded as failed (a timeout on this loaded machine: the receiver got the request, the sender gave up). Never
    // two successful deliveries of one event.
    const recorded = new Map(
      (
        await c.sql<{ event_id: string; attempt: number; outcome: string }>(
          'SELECT e.event_id, a.attempt, a.outcome FROM callback_attempts a JOIN callback_events e ON e.id = a.event_row',
        )
      ).map((a) => [`${a.event_id}/${a.attempt}`, a.outcome]),
    );
    let inFlightAtKill = 0;
    let failedAttempts = 0;
    for (const [id, list] of copies) {
      if (list.length === 1) continue;
      const outcomes = list.map((x) => recorded.get(`${id}/${x.attempt}`));
      assert.equal(
        outcomes.filter((o) => o === 'delivered').length,
        1,
        `event ${id}: ${JSON.stringify(list)} ${JSON.stringify(outcomes)}`,
      );
      list.forEach((x, i) => {
        if (outcomes[i] === undefined) {
          assert.ok(x.at <= deadAt, `event ${id}: an unrecorded attempt after the kill`);
          inFlightAtKill++;
        } else if (outcomes[i] !== 'delivered') failedAttempts++;
      });
    }
    console.log(
      `callbacks: ${ids.size} events, ${acknowledged} acknowledged reports, ${failedOnKilled} calls failed on the killed node, duplicates: ${inFlightAtKill} in flight at the kill, ${failedAttempts} after a failed (timed-out) attempt; all delivered ${allDeliveredMs} ms after the kill (lease ${11_000} ms)`,
    );
  });
});
