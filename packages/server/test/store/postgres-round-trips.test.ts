// The PostgreSQL store's round-trip savers, against the real server: values inlined into a simple query come back
// exactly as given (whatever they hold), BEGIN rides with the first statement, COMMIT with the last, and a failing
// last statement commits nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inlineSql } from '../../src/store/postgres/pg-inline.ts';
import { PgPool } from '../../src/store/postgres/pg-pool.ts';
import { dropSchema, freshPgStore, freshSchemaName, PG_TEST_URL } from '../helpers/pg-test-db.ts';
import { DEDUP_WINDOW, newMessage, nowSeconds, ORIGIN, textBody } from './helpers/fixtures.ts';

const HOSTILE = [
  "it's",
  "'; DROP TABLE t; --",
  'back\\slash',
  "\\'",
  '$1 $2 $$ $a$',
  'ends with a backslash \\',
  "E'x'",
  'line\nbreak\ttab',
  'ünïcödé 中文 🎉',
  '',
];

describe('PostgreSQL: values inlined into a simple query', () => {
  const schema = freshSchemaName('rw_inline');
  let pool: PgPool;
  before(async () => {
    pool = new PgPool({ url: PG_TEST_URL, schema, poolSize: 2 });
    await pool.pool.query(`CREATE SCHEMA ${schema}`);
    await pool.pool.query('CREATE TABLE t (a text, b bigint[], c text[], d bytea, e jsonb, f boolean, g float8)');
  });
  after(async () => {
    await pool.end();
    await dropSchema(schema);
  });

  it('come back exactly as given, hostile strings included', async () => {
    const sql = {
      name: 'inline_echo',
      text: 'SELECT $1::text AS a, $2::bigint[] AS b, $3::text[] AS c, $4::bytea AS d, $5::jsonb AS e, $6::boolean AS f, $7::float8 AS g, $8::text[] AS h',
    };
    const client = await pool.pool.connect();
    try {
      for (const s of HOSTILE) {
        const values = [
          s,
          [1, null, -9007199254740991],
          HOSTILE,
          Buffer.from([0, 255, 39, 92]),
          { s },
          false,
          0.25,
          [],
        ];
        const [row] = (await client.query(inlineSql(sql, values, (x) => client.escapeLiteral(x)))).rows as Record<
          string,
          unknown
        >[];
        assert.equal(row!.a, s);
        assert.deepEqual(row!.b, ['1', null, '-9007199254740991']);
        assert.deepEqual(row!.c, HOSTILE);
        assert.deepEqual(row!.d, Buffer.from([0, 255, 39, 92]));
        assert.deepEqual(row!.e, { s });
        assert.equal(row!.f, false);
        assert.equal(row!.g, 0.25);
        assert.deepEqual(row!.h, []);
      }
    } finally {
      client.release();
    }
  });

  it('refuses what it cannot write, and a placeholder without a value', () => {
    const quote = (x: string) => `'${x}'`;
    assert.throws(() => inlineSql({ name: 'x', text: 'SELECT $1' }, [Number.NaN], quote), /cannot inline/);
    assert.throws(() => inlineSql({ name: 'x', text: 'SELECT $1' }, [new Date()], quote), /cannot inline a Date/);
    assert.throws(() => inlineSql({ name: 'x', text: 'SELECT $2' }, [1], quote), /no value for \$2/);
  });

  it('a piggybacked transaction commits with its last statement, and a failing one commits nothing', async () => {
    const insert = { name: 'rt_insert', text: 'INSERT INTO t (a) SELECT unnest($1::text[]) RETURNING a' };
    const inserted = await pool.transaction(
      async (tx) => {
        assert.equal(tx.begun, false);
        await tx.rows(insert, [['first']]);
        assert.equal(tx.begun, true);
        return tx.rowsThenCommit<{ a: string }>(insert, [HOSTILE]);
      },
      { piggyback: true },
    );
    assert.deepEqual(
      inserted.map((r) => r.a),
      HOSTILE,
    );
    await assert.rejects(
      pool.transaction(
        async (tx) => {
          await tx.rows(insert, [['doomed']]);
          await tx.rowsThenCommit({ name: 'rt_fail', text: 'SELECT 1 / ($1::int - 1)' }, [1]);
        },
        { piggyback: true },
      ),
      /division by zero/,
    );
    const { rows } = await pool.pool.query<{ a: string }>('SELECT a FROM t WHERE b IS NULL ORDER BY a');
    assert.deepEqual(rows.map((r) => r.a).sort(), ['first', ...HOSTILE].sort());
    // The connection that failed went back clean: the next transaction on the pool works.
    assert.equal(
      (await pool.transaction((tx) => tx.rows<{ n: number }>({ name: 'one', text: 'SELECT 1 AS n' })))[0]!.n,
      1,
    );
  });

  it('a piggybacked transaction that runs no statement sends nothing', async () => {
    const seen: string[] = [];
    let restore = () => {};
    const result = await pool.transaction(
      (tx) => {
        assert.equal(tx.begun, false);
        const c = tx.client as unknown as { query: (...a: unknown[]) => unknown };
        const original = c.query;
        c.query = (...a: unknown[]) => {
          seen.push(String(a[0]));
          return original.apply(c, a);
        };
        restore = () => (c.query = original);
        return Promise.resolve('done');
      },
      { piggyback: true },
    );
    restore();
    assert.equal(result, 'done');
    assert.deepEqual(seen, []);
  });
});

describe('PostgreSQL: hostile account ids and message text through the grouped write path', () => {
  it('are stored and read back exactly, alone and in concurrent groups', async () => {
    const fresh = await freshPgStore();
    const store = fresh.store;
    try {
      const users = HOSTILE.filter((s) => s !== '').map((s, i) => `${s}#${i}`);
      await store.importAccounts(
        1400000001,
        [...users, 'peer'].map((userId) => ({ userId })),
      );
      // Concurrent sends and reads: the group commit puts several of them in one transaction.
      const sent = await Promise.all(
        users.map((u, i) =>
          store.sendMessage(1400000001, u, newMessage('peer', { body: textBody(HOSTILE[i]!), cloudCustomData: u }), {
            dedupWindowSeconds: DEDUP_WINDOW,
          }),
        ),
      );
      assert.equal(sent.length, users.length);
      // Some transaction held several of them.
      assert.ok(store.commitStats.writes > store.commitStats.batches, JSON.stringify(store.commitStats));
      for (const [i, u] of users.entries()) {
        const page = await store.getRoamMessages(1400000001, {
          from: 'peer',
          to: u,
          maxCnt: 10,
          minTime: 0,
          maxTime: nowSeconds() + 10,
        });
        assert.equal(page.messages.length, 1);
        assert.deepEqual(page.messages[0]!.body, textBody(HOSTILE[i]!));
        assert.equal(page.messages[0]!.cloudCustomData, u);
      }
      const reads = await Promise.all(
        users.map((u) => store.setRead(1400000001, { reporter: u, peer: 'peer', origin: ORIGIN })),
      );
      assert.deepEqual(
        reads.map((r) => [r.reporter, r.conversationUnread, r.unreadTotal]),
        users.map((u) => [u, 0, 0]),
      );
      const unread = await store.getUnread(1400000001, users[0]!);
      assert.equal(unread.total, 0);
    } finally {
      await fresh.cleanup();
    }
  });
});
