/**
 * The database deleted or replaced under a running server: writes are refused (91000) instead of being acknowledged
 * into a file that is gone, `/healthz` answers 503 with a reason, the log names the path once; a second server on the
 * same path is still refused; a restart does not silently begin with an empty database.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnCli, STARTED } from '../helpers/spawn-cli.ts';
import { msg, startTestServer } from '../helpers/start-test-server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(curl: string, path: string, body: unknown): Promise<{ ErrorCode: number; ErrorInfo: string }> {
  const url = curl.replace('im_open_login_svc/account_import', path);
  return (await (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json()) as {
    ErrorCode: number;
    ErrorInfo: string;
  };
}

describe('database file lost under a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-lost-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rm of the .db files: writes refused with 91000, /healthz 503, one log line naming the path; restart refused', async () => {
    const p = spawnCli(['serve', '--port', '0', '--log-format', 'pretty'], dir);
    try {
      const [, url] = await p.waitFor(/listening on (http:\/\/\S+)$/m);
      const [, curl] = await p.waitFor(/curl -s -X POST '([^']+)'/);
      assert.equal((await post(curl!, 'im_open_login_svc/multiaccount_import', { Accounts: ['a', 'b'] })).ErrorCode, 0);
      assert.equal((await post(curl!, 'openim/sendmsg', msg('a', 'b'))).ErrorCode, 0);

      rmSync(join(dir, 'data', 'readwire.db'));
      rmSync(join(dir, 'data', 'readwire.db-wal'), { force: true });
      await sleep(50);
      const codes = [];
      for (let i = 0; i < 30; i++) codes.push((await post(curl!, 'openim/sendmsg', msg('a', 'b'))).ErrorCode);
      assert.deepEqual(new Set(codes), new Set([91000]), 'no send acknowledged into the deleted file');
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 503);
      assert.match(((await health.json()) as { reason: string }).reason, /deleted or replaced/);
      const lines = p.output().match(/readwire\.db was deleted while the server had it open/g) ?? [];
      assert.equal(lines.length, 1, p.output());

      // A second server on the same path is refused while this one runs, though the file is gone.
      const file = join(dir, 'second.json');
      const path = join(dir, 'data', 'readwire.db');
      writeFileSync(
        file,
        JSON.stringify({ port: 0, storage: { sqlite: { path } }, apps: [{ sdkAppId: 1, secretKey: 'k'.repeat(20) }] }),
      );
      const second = spawnCli(['serve', '--config', file], dir);
      assert.equal(await second.exited, 1);
      assert.match(second.output(), /in use by another process/);
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
    }

    // Restarting does not silently begin with an empty database beside the kept secret key.
    const again = spawnCli(['serve', '--port', '0'], dir);
    assert.equal(await again.exited, 1);
    assert.match(
      again.output(),
      /refusing to start: the database .*readwire\.db does not exist, but .*secret-key does/,
    );
    assert.match(again.output(), /--new-database/);
    const fresh = spawnCli(['serve', '--port', '0', '--new-database'], dir);
    try {
      const [, url] = await fresh.waitFor(STARTED);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      fresh.child.kill('SIGTERM');
      assert.equal(await fresh.exited, 0);
    }
  });

  it('a file copied over the database (a restore while running) is noticed within a few seconds without writes', async () => {
    const t = await startTestServer();
    const problems: string[] = [];
    t.server.store.onProblem((m) => problems.push(m));
    try {
      await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['a', 'b'] });
      const db = join(t.dir, 'readwire.db');
      copyFileSync(db, `${db}.copy`);
      renameSync(`${db}.copy`, db);
      const started = Date.now();
      while ((await fetch(`${t.url}/healthz`)).status === 200) {
        assert.ok(Date.now() - started < 5000, 'not noticed within 5 s');
        await sleep(100);
      }
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /readwire\.db was replaced by another file/);
      assert.equal((await t.call('openim/sendmsg', msg('a', 'b'))).ErrorCode, 91000);
      assert.equal(problems.length, 1, 'reported once');
    } finally {
      await t.close();
    }
  });
});
