/**
 * `readwire doctor` on a PostgreSQL configuration, against the real server: reachable with the credentials, the
 * schema's migrations current, older or newer than this readwire, and whether the user can write there — without
 * leaving anything behind.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { pgMigrations } from '../../src/store/postgres/migrations/index.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { spawnCli } from '../helpers/spawn-cli.ts';
import { PG_TEST_URL, dropSchema, freshSchemaName } from '../helpers/pg-test-db.ts';

interface Finding {
  check: string;
  status: string;
  message: string;
  fix?: string;
}

const LATEST = Math.max(...pgMigrations.map((m) => m.version));

async function sql(text: string): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client({ connectionString: PG_TEST_URL });
  await c.connect();
  try {
    return (await c.query<pg.QueryResultRow>(text)).rows;
  } finally {
    await c.end();
  }
}

describe('readwire doctor: PostgreSQL storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-doctor-pg-'));
  const schemas: string[] = [];
  after(async () => {
    for (const s of schemas) await dropSchema(s);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs doctor on a configuration with `postgres` as its storage; returns the exit code and the storage finding. */
  async function storage(postgres: Record<string, unknown>): Promise<{ code: number | null; finding: Finding }> {
    const file = join(dir, `${freshSchemaName('cfg')}.json`);
    const apps = [{ sdkAppId: 1400000043, secretKey: 's'.repeat(32) }];
    writeFileSync(file, JSON.stringify({ port: 0, storage: { postgres }, apps }));
    const p = spawnCli(['doctor', '--json', '--skip-probe', '--config', file], dir);
    const code = await p.exited;
    const findings = (JSON.parse(p.output()) as { results: Finding[] }).results;
    const mine = findings.filter((f) => f.check === 'storage');
    assert.equal(mine.length, 1, JSON.stringify(findings));
    return { code, finding: mine[0]! };
  }

  it('a schema not created yet: ok, it will be created; doctor leaves nothing behind', async () => {
    const schema = freshSchemaName();
    const { code, finding } = await storage({ url: PG_TEST_URL, schema });
    assert.equal(code, 0, JSON.stringify(finding));
    assert.equal(finding.status, 'ok');
    assert.match(finding.message, /^PostgreSQL at 127\.0\.0\.1:5432, database "test", user "postgres": writable, /);
    assert.match(finding.message, new RegExp(`schema "${schema}" will be created with migrations up to ${LATEST}`));
    assert.deepEqual(await sql(`SELECT 1 FROM pg_namespace WHERE nspname = '${schema}'`), [], 'no schema created');
  });

  it('current, older and newer migrations', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const store = await PostgresStore.open({ url: PG_TEST_URL, schema, poolSize: 1 });
    await store.close();
    const current = await storage({ url: PG_TEST_URL, schema });
    assert.equal(current.code, 0);
    assert.match(current.finding.message, new RegExp(`schema "${schema}" at migration ${LATEST} \\(current\\)$`));
    assert.deepEqual(await sql(`SELECT 1 FROM pg_tables WHERE tablename = 'readwire_doctor_probe'`), []);

    await sql(`DELETE FROM ${schema}.schema_migrations WHERE version = ${LATEST}`);
    const older = await storage({ url: PG_TEST_URL, schema });
    assert.equal(older.code, 0);
    assert.equal(older.finding.status, 'ok');
    assert.match(
      older.finding.message,
      new RegExp(`at migration ${LATEST - 1}: migrations up to ${LATEST} run at start`),
    );

    await sql(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`);
    const newer = await storage({ url: PG_TEST_URL, schema });
    assert.equal(newer.code, 1);
    assert.equal(newer.finding.status, 'fail');
    assert.match(newer.finding.message, new RegExp(`at migration 999, newer than this readwire's ${LATEST}`));
    assert.match(newer.finding.fix ?? '', /upgrade readwire/);
  });

  it('a refused connection, an unknown user and a missing database each fail with what to do', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await storage({ url: `postgres://postgres@127.0.0.1:${port}/test` });
    assert.equal(refused.code, 1);
    assert.match(
      refused.finding.message,
      new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port}, .*cannot be reached: .*ECONNREFUSED`),
    );
    assert.match(refused.finding.fix ?? '', /start PostgreSQL or fix host and port/);

    const user = await storage({ url: 'postgres://readwire_doctor_nobody@127.0.0.1:5432/test' });
    assert.equal(user.code, 1);
    assert.match(user.finding.message, /user "readwire_doctor_nobody".*cannot be reached: .*readwire_doctor_nobody/);
    assert.match(user.finding.fix ?? '', /user or password/);

    const database = await storage({ url: 'postgres://postgres@127.0.0.1:5432/readwire_doctor_missing' });
    assert.equal(database.code, 1);
    assert.match(database.finding.fix ?? '', /create the database/);
  });
});
