import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { spawnCli, STARTED } from '../helpers/spawn-cli.ts';

const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('readwire backup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-cli-backup-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up a running server named by --config, then prints the path (and JSON with --json)', async () => {
    const config = join(dir, 'readwire.json');
    writeFileSync(
      config,
      JSON.stringify({
        port: 0,
        storage: { sqlite: { path: join(dir, 'data', 'readwire.db') } },
        apps: [{ sdkAppId: 1400000001, secretKey: KEY }],
      }),
    );
    const server = spawnCli(['serve', '--config', config], dir);
    try {
      const url = (await server.waitFor(STARTED))[1]!;
      const text = spawnCli(['backup', '--config', config, '--url', url], dir);
      assert.equal(await text.exited, 0, text.output());
      assert.match(
        text.output(),
        /^backup written: .*\/data\/backups\/readwire-\d{8}T\d{9}Z\.sqlite \(\d+\.\d MB in /m,
      );

      const json = spawnCli(['backup', '--config', config, '--url', url, '--json'], dir);
      assert.equal(await json.exited, 0, json.output());
      const r = JSON.parse(json.output()) as { BackupPath: string; Bytes: number; DurationMs: number };
      assert.equal(statSync(r.BackupPath).size, r.Bytes);
      const copy = new Database(r.BackupPath, { readonly: true });
      try {
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
        const admin = copy.prepare("SELECT count(*) AS n FROM accounts WHERE user_id = 'administrator'").get();
        assert.deepEqual(admin, { n: 1 });
      } finally {
        copy.close();
      }

      const wrongKey = spawnCli(['backup', '--sdkappid', '1400000001', '--key', 'f'.repeat(64), '--url', url], dir);
      assert.equal(await wrongKey.exited, 1);
      assert.match(wrongKey.output(), /ErrorCode 70009/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
