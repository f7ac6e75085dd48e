import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PgClusterBus } from '../../src/cluster/pg-cluster-bus.ts';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { PG_URL, pgQuery, quietLog, randomSchema } from './helpers/pg.ts';

const buses: PgClusterBus[] = [];
function bus(schema: string, pollIntervalMs = 60_000): PgClusterBus {
  const b = new PgClusterBus({ connection: { connectionString: PG_URL }, schema, pollIntervalMs, log: quietLog });
  buses.push(b);
  return b;
}

/** Counts the calls of each topic's listeners. */
function counter(b: PgClusterBus) {
  const n = { events: 0, sync: 0, config: 0 };
  b.on('events', () => n.events++);
  b.on('sync', () => n.sync++);
  b.on('config', () => n.config++);
  return n;
}

after(async () => {
  await Promise.all(buses.map((b) => b.stop()));
});

describe('PgClusterBus (LISTEN/NOTIFY between nodes)', () => {
  it('wakes the other nodes of the same schema, not itself and not other schemas', async () => {
    const schema = randomSchema();
    const a = bus(schema);
    const b = bus(schema);
    const other = bus(randomSchema());
    const [na, nb, no] = [counter(a), counter(b), counter(other)];
    await Promise.all([a.start(), b.start(), other.start()]);
    await Promise.all([a.countNodes(), b.countNodes()]);
    const t0 = performance.now();
    a.publish('sync');
    await waitFor(() => nb.sync === 1, 'b hears a’s sync', 5000, 1);
    const ms = performance.now() - t0;
    a.publish('config');
    await waitFor(() => nb.config === 1, 'b hears a’s config', 5000, 1);
    b.publish('events');
    await waitFor(() => na.events === 1, 'a hears b’s events', 5000, 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(na, { events: 1, sync: 0, config: 0 }, 'a does not hear itself');
    assert.deepEqual(no, { events: 0, sync: 0, config: 0 }, 'another schema hears nothing');
    assert.ok(ms < 1000, `a notification took ${ms} ms`);
  });

  it('coalesces a burst of publishes into a few NOTIFYs that still wake the others', async () => {
    const schema = randomSchema();
    const a = bus(schema);
    const b = bus(schema);
    const nb = counter(b);
    await Promise.all([a.start(), b.start()]);
    await a.countNodes();
    for (let i = 0; i < 1000; i++) a.publish(i % 2 ? 'sync' : 'events');
    await waitFor(() => nb.sync >= 1 && nb.events >= 1, 'b woken for both topics', 5000, 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(a.connection.sent <= 2, `1,000 publishes in one turn sent ${a.connection.sent} NOTIFYs`);
    // Publishes spread over 100 ms: at most one NOTIFY per 10 ms window (plus the one in flight).
    const before = a.connection.sent;
    const end = performance.now() + 100;
    while (performance.now() < end) {
      a.publish('sync');
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 50));
    const sent = a.connection.sent - before;
    assert.ok(sent >= 2 && sent <= 13, `publishes over 100 ms sent ${sent} NOTIFYs`);
  });

  it('sends nothing while it is the only node', async () => {
    const a = bus(randomSchema());
    await a.start();
    assert.equal(a.nodes(), 1);
    for (let i = 0; i < 10; i++) a.publish('sync');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(a.connection.sent, 0);
  });

  it('counts the live nodes of the deployment', async () => {
    const schema = randomSchema();
    const [a, b, c] = [bus(schema, 50), bus(schema, 50), bus(schema, 50)];
    await Promise.all([a.start(), b.start(), c.start()]);
    await waitFor(() => a.nodes() === 3 && b.nodes() === 3, 'three nodes counted', 5000);
    await c.stop();
    await waitFor(() => a.nodes() === 2 && b.nodes() === 2, 'two nodes after one stopped', 5000);
  });

  it('reconnects by itself after losing its connection, and says it may have missed something', async () => {
    const schema = randomSchema();
    const a = bus(schema);
    const b = bus(schema);
    const na = counter(a);
    const states: boolean[] = [];
    a.connection.onState((s) => states.push(s));
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.countNodes(), b.countNodes()]);
    assert.equal(a.healthy(), true);
    // Kill a's listening backend from the server side (what a PostgreSQL restart or failover does to it).
    const killed = await pgQuery<{ ok: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
      [`readwire ${schema}`],
    );
    assert.equal(killed.length, 2, 'both nodes’ listening connections found');
    await waitFor(() => states.includes(false), 'a notices the loss', 5000, 5);
    await waitFor(() => a.healthy() && b.healthy(), 'both reconnect', 10_000, 10);
    // The reconnect asked every reader to read again.
    await waitFor(() => na.events >= 1 && na.sync >= 1 && na.config >= 1, 'a told to re-read every topic', 5000);
    const before = { ...na };
    b.publish('sync');
    await waitFor(() => na.sync === before.sync + 1, 'a hears b after the reconnect', 5000, 5);
  });
});
