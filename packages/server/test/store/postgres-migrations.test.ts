/**
 * PostgreSQL schema management: the schema is created if missing, ten nodes starting together apply each migration
 * once, a schema newer than the code refuses to start, and a connection that cannot be made fails with a message
 * naming host, port and database.
 * @module
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { pgMigrations } from '../../src/store/postgres/migrations/index.ts';
import { PostgresStartError } from '../../src/store/postgres/open-postgres.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropSchema, freshSchemaName, PG_TEST_URL } from '../helpers/pg-test-db.ts';
import { describe, it } from 'node:test';

async function sql<T>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('PostgreSQL migrations', () => {
  it('ten nodes starting together on a missing schema create it and apply each migration once', async () => {
    const schema = freshSchemaName();
    try {
      const stores = await Promise.all(
        Array.from({ length: 10 }, () => PostgresStore.open({ url: PG_TEST_URL, schema, poolSize: 1 })),
      );
      const rows = await sql<{ version: number; n: string }>(
        `SELECT version, count(*) AS n FROM ${schema}.schema_migrations GROUP BY version ORDER BY version`,
      );
      assert.deepEqual(
        rows.map((r) => [r.version, Number(r.n)]),
        pgMigrations.map((m) => [m.version, 1]),
      );
      // They all work on the one schema.
      await stores[0]!.importAccounts(1, [{ userId: 'a' }]);
      assert.deepEqual([...(await stores[9]!.existingAccounts(1, ['a', 'b']))], ['a']);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it('a node whose code is older than the schema refuses to start, saying so', async () => {
    const schema = freshSchemaName();
    try {
      await (await PostgresStore.open({ url: PG_TEST_URL, schema, poolSize: 1 })).close();
      await sql(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`);
      await assert.rejects(PostgresStore.open({ url: PG_TEST_URL, schema, poolSize: 1 }), (e: unknown) => {
        assert.ok(e instanceof PostgresStartError);
        assert.match(e.message, /schema "rw_test_\w+" is at migration 999/);
        assert.match(e.message, /upgrade readwire/);
        assert.match(e.message, /127\.0\.0\.1:5432, database "test"/);
        return true;
      });
    } finally {
      await dropSchema(schema);
    }
  });

  it('a refused connection, an unknown database or a bad schema name fail with where and why', async () => {
    await assert.rejects(
      PostgresStore.open({ url: 'postgres://postgres@127.0.0.1:1/test', poolSize: 1 }),
      /cannot start on PostgreSQL at 127\.0\.0\.1:1, database "test", user "postgres": .*ECONNREFUSED/,
    );
    await assert.rejects(
      PostgresStore.open({ url: 'postgres://postgres@127.0.0.1:5432/no_such_db_rw', poolSize: 1 }),
      /PostgreSQL at 127\.0\.0\.1:5432, database "no_such_db_rw".*does not exist/,
    );
    await assert.rejects(
      PostgresStore.open({ url: PG_TEST_URL, schema: 'Bad-Name', poolSize: 1 }),
      /schema "Bad-Name" must be a lower-case identifier/,
    );
  });
});
