/**
 * Contract cases of `Store.kickAccount`, `Store.sigsValidAfter` and `Store.recordStateChange`, run by
 * `storeContract` on every store.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImError } from '../../../src/errors/im-error.ts';
import type { Store } from '../../../src/store/store.ts';
import { ORIGIN } from '../helpers/fixtures.ts';

/** `store()` is the current test's store, with accounts alice, bob, carol, dave imported in `app`. */
export function kickStateContract(store: () => Store, app: number): void {
  describe('kickAccount', () => {
    it('stamps the account with the current second, only forward, and per account', async () => {
      assert.equal(await store().sigsValidAfter(app, 'alice'), 0, 'never kicked');
      const before = Math.floor(Date.now() / 1000);
      const r = await store().kickAccount(app, 'alice');
      const after = Math.floor(Date.now() / 1000);
      assert.equal(r.userId, 'alice');
      assert.ok(r.sigsValidAfter >= before && r.sigsValidAfter <= after);
      assert.equal(await store().sigsValidAfter(app, 'alice'), r.sigsValidAfter);
      assert.equal(await store().sigsValidAfter(app, 'bob'), 0);
      assert.equal(await store().sigsValidAfter(app, 'ghost'), 0);
      const again = await store().kickAccount(app, 'alice');
      assert.ok(again.sigsValidAfter >= r.sigsValidAfter);
    });

    it('refuses an account that is not imported', async () => {
      await assert.rejects(
        store().kickAccount(app, 'ghost'),
        (e: unknown) => e instanceof ImError && e.code === 'ACCOUNT_NOT_IMPORTED',
      );
    });
  });

  describe('recordStateChange', () => {
    it('returns the change it recorded', async () => {
      const change = { userId: 'bob', action: 'Login', reason: 'Register', origin: ORIGIN } as const;
      assert.deepEqual(await store().recordStateChange(app, change), change);
    });
  });
}
