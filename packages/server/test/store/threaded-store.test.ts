/**
 * The SQLite store in its own worker thread: the shared contract unchanged, plus what the thread boundary adds —
 * errors keep their class and code, a second server is refused, the calls of one turn share one commit, the commit
 * notification carries the outbox head, `close` commits what was queued, and nothing runs after it.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImError } from '../../src/errors/im-error.ts';
import { DatabaseLockedError } from '../../src/store/sqlite/open-sqlite.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ThreadedStore } from '../../src/store/thread/threaded-store.ts';
import { after, before, describe, it } from './helpers/node-test.ts';
import { storeContract } from './store-contract.ts';

const APP = 1400000001;

let dir: string;
let fileNo = 0;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'readwire-threaded-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function freshPath(): string {
  return join(dir, `db-${++fileNo}`, 'readwire.sqlite');
}

storeContract('SQLite in a worker thread', async () => {
  const path = freshPath();
  const store = await ThreadedStore.open({ path });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(join(path, '..'), { recursive: true, force: true });
    },
  };
});

describe('ThreadedStore', () => {
  it('rejects with the ImError class and code the store threw', async () => {
    const store = await ThreadedStore.open({ path: freshPath() });
    try {
      await store.importAccounts(APP, [{ userId: 'ann' }]);
      await assert.rejects(store.setRead(APP, { reporter: 'ghost', peer: 'ann' }), (e: unknown) => {
        assert.ok(e instanceof ImError);
        assert.equal(e.code, 'FROM_ACCOUNT_INVALID');
        assert.equal(e.errorCode, 90008);
        return true;
      });
      await assert.rejects(store.inspect('DELETE FROM accounts'), /read-only/);
      assert.deepEqual(await store.inspect('SELECT user_id FROM accounts ORDER BY user_id'), [{ user_id: 'ann' }]);
    } finally {
      await store.close();
    }
  });

  it('refuses a database another store holds, with DatabaseLockedError', async () => {
    const path = freshPath();
    const first = await ThreadedStore.open({ path });
    try {
      await assert.rejects(ThreadedStore.open({ path }), DatabaseLockedError);
      assert.throws(() => new SqliteStore({ path }), DatabaseLockedError);
    } finally {
      await first.close();
    }
    const again = await ThreadedStore.open({ path });
    await again.close();
  });

  it('commits the calls of one turn together and reports the outbox head after the commit', async () => {
    const store = await ThreadedStore.open({ path: freshPath() });
    try {
      const heads: number[] = [];
      store.onCommit((max) => heads.push(max));
      const users = Array.from({ length: 50 }, (_, i) => ({ userId: `u${i}` }));
      await Promise.all(users.map((u) => store.importAccounts(APP, [u])));
      assert.equal(heads.length, 1, 'fifty writes issued in one turn: one commit');
      assert.deepEqual(heads, [0], 'no callback events yet');
      assert.equal((await store.existingAccounts(APP, ['u0', 'u49', 'nobody'])).size, 2);
    } finally {
      await store.close();
    }
  });

  it('close commits the writes still queued, and later calls reject', async () => {
    const path = freshPath();
    const store = await ThreadedStore.open({ path });
    const writes = Array.from({ length: 20 }, (_, i) => store.importAccounts(APP, [{ userId: `w${i}` }]));
    await store.close();
    await Promise.all(writes);
    await assert.rejects(store.getUnread(APP, 'w0'), (e: unknown) => e instanceof ImError && e.code === 'INTERNAL');
    const reopened = new SqliteStore({ path });
    try {
      assert.equal((await reopened.existingAccounts(APP, writes.map((_, i) => `w${i}`))).size, 20);
    } finally {
      await reopened.close();
    }
  });
});
