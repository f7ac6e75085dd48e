import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));

it('README example: start a server, send, count, mark read', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /<!-- readme-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- readme-example:end -->/.exec(readme);
  assert.ok(block, 'README has the example block');
  // Inside the repository, so that `@readwire/*` resolve through the workspace.
  const scratch = join(root, 'packages/server/test/.tmp');
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, `readme-example-${process.pid}.mts`);
  const dataDir = mkdtempSync(join(tmpdir(), 'readwire-readme-'));
  writeFileSync(file, block[1]!);
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, EXAMPLE_DIR: dataDir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const counts = [...r.stdout.matchAll(/AllC2CUnreadMsgNum: (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(counts, [1, 0], r.stdout);
  } finally {
    rmSync(file, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});
