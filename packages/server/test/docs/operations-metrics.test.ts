import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { STARTED, spawnCli } from '../helpers/spawn-cli.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

it('docs/operations.md names every metric a running server exposes, and no other readwire_ metric', async () => {
  const doc = readFileSync(join(root, 'docs/operations.md'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'readwire-ops-metrics-'));
  const server = spawnCli(['serve', '--data', dir, '--port', '0', '--log-format', 'json'], dir);
  try {
    const [, url] = await server.waitFor(STARTED);
    const res = await fetch(`${url}/metrics`);
    assert.equal(res.status, 200);
    const exposed = [...(await res.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!);
    assert.ok(exposed.length > 40 && exposed.includes('readwire_callback_dead_events'), 'scraped the registry');

    const missing = exposed.filter((name) => !doc.includes(`\`${name}\``));
    assert.deepEqual(missing, [], 'metrics exposed but not described in docs/operations.md');
    const documented = new Set([...doc.matchAll(/`(readwire_[a-z_]+)`/g)].map((m) => m[1]!));
    const stale = [...documented].filter((name) => !exposed.includes(name));
    assert.deepEqual(stale, [], 'metrics described in docs/operations.md that the server does not expose');
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
