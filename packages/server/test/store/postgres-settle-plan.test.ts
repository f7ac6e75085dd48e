// A delivery batch's settle finds its events through the primary key, whatever the planner believed when the
// connection first ran it: the plan is read from the database itself (auto_explain, nested statements, sent to this
// session as LOG notices), on a table that grew by thousands of pending events after the plan was first made.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { freshPgStore, PG_TEST_URL } from '../helpers/pg-test-db.ts';

const APP = 1400000001;

/** Inserts `n` pending events leased to `owner` at attempt 1; returns their row ids. */
async function insertLeased(client: pg.Client, n: number, owner: string): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO callback_events (event_id, app_id, command, ordering_key, body, client_ip, opt_platform,
       next_attempt_at, created_at, lease_owner, lease_until, attempts)
     SELECT 'ev-' || gen_random_uuid(), $1, 'C2C.CallbackAfterMsgReport', 'key-' || g, '{}', '127.0.0.1', 'RESTAPI',
       0, 0, $3, 1, 1
     FROM generate_series(1, $2::int) g RETURNING id`,
    [APP, n, owner],
  );
  return rows.map((r) => r.id);
}

/** Settles `ids` as delivered through `settle_apply`; returns whether each lease held. */
async function settle(client: pg.Client, ids: string[], owner: string): Promise<boolean[]> {
  const n = ids.length;
  const fill = <T>(v: T): T[] => Array.from({ length: n }, () => v);
  const { rows } = await client.query<{ o_settled: boolean }>(
    `SELECT * FROM settle_apply($1::bigint[], $2::text[], $3::integer[], $4::text[], $5, $6::bigint[], $7::text[],
       $8::bigint[], $9::text[], $10::bigint[], $11::text[], $12::integer[], $13::float8[], $14::bigint[], $15::text[])`,
    [
      ids,
      fill(owner),
      fill(1),
      fill('delivered'),
      5,
      fill(0),
      fill(null),
      fill(APP),
      ids.map((_, i) => `key-${i + 1}`),
      fill(1),
      fill('http://127.0.0.1/cb'),
      fill(200),
      fill(1),
      fill(0),
      fill('OK'),
    ],
  );
  return rows.map((r) => r.o_settled);
}

describe('PostgreSQL: settling a delivery batch', () => {
  let fresh: { store: PostgresStore; schema: string; cleanup(): Promise<void> };
  let client: pg.Client;
  const plans: string[] = [];
  before(async () => {
    fresh = await freshPgStore();
    client = new pg.Client({ connectionString: PG_TEST_URL, options: `-c search_path=${fresh.schema}` });
    await client.connect();
    client.on('notice', (n) => {
      if (n.message?.includes('lease_owner = NULL, lease_until = NULL')) plans.push(n.message); // the outcome update
    });
  });
  after(async () => {
    await client.end();
    await fresh.cleanup();
  });

  it('reads the events through the primary key, also after the table grew', async () => {
    await client.query(`LOAD 'auto_explain'`);
    await client.query(`SET auto_explain.log_min_duration = 0`);
    await client.query(`SET auto_explain.log_nested_statements = on`);
    await client.query(`SET client_min_messages = log`);
    // Ten settles while the table is tiny: the connection's cached plan is made now.
    for (let i = 0; i < 10; i++) {
      const ids = await insertLeased(client, 3, 'node-a');
      assert.deepEqual(await settle(client, ids, 'node-a'), [true, true, true]);
    }
    // Then a backlog: 5,000 pending events, never analyzed.
    await insertLeased(client, 5000, 'node-b');
    plans.length = 0;
    const ids = await insertLeased(client, 8, 'node-a');
    assert.deepEqual(
      await settle(client, ids, 'node-a'),
      Array.from({ length: 8 }, () => true),
    );
    assert.deepEqual(
      await settle(client, ids, 'node-a'),
      Array.from({ length: 8 }, () => false),
      'settled once',
    );
    assert.equal(plans.length, 2, 'one plan per settle');
    for (const plan of plans) {
      assert.match(plan, /callback_events_pkey/);
      assert.doesNotMatch(plan, /Seq Scan on callback_events|callback_events_order|callback_events_due/);
    }
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM callback_events WHERE id = ANY($1::bigint[]) AND state = 'delivered'`,
      [ids],
    );
    assert.equal(Number(rows[0]!.n), 8);
  });
});
