/**
 * Reliability suite, small form (`npm run reliability` runs the full one): kill -9 twice under load, and a receiver
 * down then up. Real servers in child processes; every acknowledged report must be delivered, in order per user.
 * @module
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDown, checkKill } from './checks.ts';
import { killTwice } from './kill-twice.ts';
import { receiverDown } from './receiver-down.ts';

test('kill -9 twice under load: every acknowledged report delivered, in order per user', async (t) => {
  const f = await killTwice({ seconds: 6, workers: 16, users: 400 });
  t.diagnostic(JSON.stringify(f));
  assert.deepEqual(checkKill(f), []);
});

test('receiver down, then up: everything delivered, in order', async (t) => {
  const f = await receiverDown({
    downSeconds: 3,
    rate: 200,
    users: 200,
    dispatcher: { breakerOpenMs: 200, breakerMaxOpenMs: 500 },
  });
  t.diagnostic(JSON.stringify(f));
  assert.deepEqual(checkDown(f), []);
});
