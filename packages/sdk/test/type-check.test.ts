import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const project = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

describe('public types', () => {
  it('test/types/*.ts and every test type-check (each @ts-expect-error is a real error)', () => {
    const r = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  });
});
