/**
 * Reliability suite, small form: the database's disk fills up under load (a tmpfs; skipped unless root).
 * @module
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDisk } from './checks.ts';
import { diskFull } from './disk-full.ts';

test('disk full: no acknowledged write lost, writes resume when space returns', async (t) => {
  const f = await diskFull({ sizeMb: 8, fullSeconds: 1, afterSeconds: 1 });
  t.diagnostic(JSON.stringify(f));
  if (f.skipped !== undefined) t.skip(f.skipped);
  assert.deepEqual(checkDisk(f), []);
});
