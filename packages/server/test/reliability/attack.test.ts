/**
 * Reliability suite, small form: REST latency under a pre-login WebSocket flood and UserSig decompression bombs
 * (bound relative to the same probe without an attacker, with a margin for a busy machine).
 * @module
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAttack } from './checks.ts';
import { underAttack } from './under-attack.ts';

test('REST keeps answering under a pre-login flood and UserSig bombs', async (t) => {
  const runs = await underAttack({ seconds: 3, probeRate: 50 });
  t.diagnostic(JSON.stringify(runs));
  const quiet = runs.find((r) => r.attack === 'none')!;
  assert.deepEqual(checkAttack(runs, Math.max(250, quiet.restP99Ms * 4)), []);
});
