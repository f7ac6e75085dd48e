/**
 * Reliability suite, small form: one app's endpoint hangs while another app's callbacks keep their delays (bound
 * relative to a run without the hang, with a margin for a busy machine).
 * @module
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHang } from './checks.ts';
import { hangingEndpoint } from './hanging-endpoint.ts';

test('a hanging endpoint of one app leaves another app’s callback delays as they were', async (t) => {
  const f = await hangingEndpoint({ seconds: 4, rate: 100, users: 100 });
  t.diagnostic(JSON.stringify(f));
  assert.deepEqual(checkHang(f, 2, 250), []);
});
