/**
 * The PostgreSQL store's health (what `/healthz` reports): not ok while the database cannot be reached, found by the
 * failing calls and by the idle probe, naming where it is; ok again on its own once the database answers. The
 * database is cut off by a real TCP relay between the store and PostgreSQL that the test closes and reopens.
 * @module
 */
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { PG_TEST_URL, dropSchema, freshSchemaName } from '../helpers/pg-test-db.ts';

/** A TCP relay to PostgreSQL on a fixed local port, which can be cut (every connection dropped, port closed). */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const target = new URL(PG_TEST_URL);
    const server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('PostgreSQL store: health', () => {
  const relay = new Relay();
  const schema = freshSchemaName();
  let store: PostgresStore;
  before(async () => {
    await relay.open();
    const url = new URL(PG_TEST_URL);
    url.port = String(relay.port);
    store = await PostgresStore.open({ url: url.toString(), schema, poolSize: 2 });
  });
  after(async () => {
    await relay.cut();
    await store.close();
    await dropSchema(schema);
  });

  it('is not ok while PostgreSQL cannot be reached, then ok again on its own', { timeout: 30_000 }, async () => {
    const problems: string[] = [];
    store.onProblem((m) => problems.push(m));
    await store.importAccounts(1, [{ userId: 'a' }]);
    assert.deepEqual(store.health(), { ok: true });

    await relay.cut();
    await assert.rejects(store.importAccounts(1, [{ userId: 'b' }]), 'a write fails while the database is away');
    await until('health reports the outage', () => !store.health().ok);
    const health = store.health();
    assert.ok(!health.ok && health.reason.includes(`127.0.0.1:${relay.port}`), 'the reason names host and port');
    assert.equal(problems.length, 1, 'the outage is reported once');

    await relay.open();
    await until('health recovers without a call', () => store.health().ok, 10_000);
    await store.importAccounts(1, [{ userId: 'b' }]);
    assert.deepEqual(await store.existingAccounts(1, ['a', 'b']), new Set(['a', 'b']));
  });

  it('an idle store finds the outage by its probe', { timeout: 30_000 }, async () => {
    assert.deepEqual(store.health(), { ok: true });
    await relay.cut();
    await until('the probe reports the outage', () => !store.health().ok);
    await relay.open();
    await until('the probe reports the recovery', () => store.health().ok, 10_000);
  });
});
