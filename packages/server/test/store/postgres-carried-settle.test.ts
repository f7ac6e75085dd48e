// A delivery batch carried by the next write transaction (PgGroupCommit.carry): only when writes wait for one; its
// promise resolves once that transaction committed, and rejects when it failed, so that the caller settles alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgGroupCommit } from '../../src/store/postgres/pg-group-commit.ts';
import type { BatchWrite } from '../../src/store/postgres/pg-write-batch.ts';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { freshPgStore } from '../helpers/pg-test-db.ts';

/** A write that sleeps `ms` in the database, or throws; records how it ended. */
function write(ms: number, fail = false): BatchWrite & { outcome: Promise<string> } {
  let settle!: (s: string) => void;
  const outcome = new Promise<string>((r) => (settle = r));
  return {
    appId: 1,
    outcome,
    async main(tx) {
      await tx.rows({ name: 'carry_sleep', text: 'SELECT pg_sleep($1::float8 / 1000) AS s' }, [ms]);
      if (fail) throw new Error('this write fails');
      return undefined;
    },
    wrote() {},
    committed: () => settle('committed'),
    failed: () => settle('failed'),
  };
}

const EMPTY_SETTLE = { lockKeys: ['1:k'], arrays: Array.from({ length: 14 }, () => []) };

describe('PostgreSQL: settles carried by a write transaction', () => {
  let fresh: { store: PostgresStore; cleanup(): Promise<void> };
  before(async () => {
    fresh = await freshPgStore();
  });
  after(() => fresh.cleanup());

  it('are carried only while writes wait, and resolve after the commit', async () => {
    const group = new PgGroupCommit(fresh.store.pool, { maxBatches: 1, maxBatchSize: 64 });
    assert.equal(group.carry(EMPTY_SETTLE), undefined, 'nothing waits: the caller settles alone');
    const first = write(50);
    group.submit(first);
    const second = write(0);
    group.submit(second);
    const carried = group.carry(EMPTY_SETTLE);
    assert.ok(carried, 'a write waits: the settle rides with it');
    assert.equal(group.carry(EMPTY_SETTLE), undefined, 'one carried settle at a time');
    assert.deepEqual(await carried, []);
    assert.equal(await second.outcome, 'committed');
    assert.equal(await first.outcome, 'committed');
  });

  it('reject when the transaction that carried them failed', async () => {
    const group = new PgGroupCommit(fresh.store.pool, { maxBatches: 1, maxBatchSize: 64 });
    group.submit(write(50));
    const doomed = write(0, true);
    group.submit(doomed);
    const carried = group.carry(EMPTY_SETTLE);
    assert.ok(carried);
    await assert.rejects(carried, /this write fails/);
    assert.equal(await doomed.outcome, 'failed');
  });
});
