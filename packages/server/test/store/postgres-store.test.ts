/**
 * The PostgreSQL store: the shared contract against the real server (a fresh schema per store, dropped after), and
 * the commit notifications the many-node layer builds on.
 * @module
 */
import assert from 'node:assert/strict';
import type { LocalCommit } from '../../src/store/postgres/pg-write-hub.ts';
import { freshPgStore } from '../helpers/pg-test-db.ts';
import { DEDUP_WINDOW, newMessage } from './helpers/fixtures.ts';
import { describe, it } from 'node:test';
import { storeContract } from './store-contract.ts';

storeContract('PostgreSQL', async () => {
  const fresh = await freshPgStore();
  return { store: fresh.store, cleanup: () => fresh.cleanup() };
});

describe('PostgreSQL store: commit notifications', () => {
  it('local commits tell what they wrote; a commit announced from another node wakes onCommit only', async () => {
    const a = await freshPgStore();
    const b = await freshPgStore({ schema: a.schema });
    try {
      const app = 1400000001;
      await a.store.importAccounts(app, [{ userId: 'alice' }, { userId: 'bob' }]);
      await a.store.startSyncLog(app, 'bob');
      const local: LocalCommit[] = [];
      const bCounters: number[] = [];
      const bLocal: LocalCommit[] = [];
      a.store.onLocalCommit((c) => local.push(c));
      b.store.onCommit((n) => bCounters.push(n));
      b.store.onLocalCommit((c) => bLocal.push(c));
      const m = newMessage('alice');
      await a.store.sendMessage(app, 'bob', m, {
        dedupWindowSeconds: DEDUP_WINDOW,
        effects: { kind: 'send', enabledCallbacks: ['C2C.CallbackAfterSendMsg'], message: m },
      });
      assert.deepEqual(local, [{ appId: app, unleasedEvents: true, leasedEvents: 0, syncEntries: 1 }]);
      assert.deepEqual(bCounters, [], 'another node hears nothing by itself');
      const before = await b.store.outbox.maxRowId();
      b.store.notifyExternalCommit();
      assert.deepEqual(bCounters, [before + 1], 'an announced commit wakes onCommit with a higher counter');
      assert.equal(await b.store.outbox.maxRowId(), before + 1);
      assert.deepEqual(bLocal, [], 'and is not a local commit (no announcement loop)');
    } finally {
      await b.store.close();
      await a.cleanup();
    }
  });
});
