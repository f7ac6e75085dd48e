import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { verifyUserSig } from '@readwire/sdk';
import { spawnCli } from '../helpers/spawn-cli.ts';

describe('readwire CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serve with no config: SQLite under ./data, app 1400000000, generated key kept, banner with a working curl line', async () => {
    const p = spawnCli(['serve', '--port', '0', '--log-format', 'pretty'], dir);
    try {
      const [, url] = await p.waitFor(/listening on (http:\/\/\S+)$/m);
      const [, curl] = await p.waitFor(/curl -s -X POST '([^']+)'/);
      assert.match(p.output(), /^ {2}SDKAppID {4}1400000000$/m);
      assert.ok(p.output().includes(`  database    SQLite ${join(realpathSync(dir), 'data', 'readwire.db')}\n`));
      const key = readFileSync(join(dir, 'data', 'secret-key'), 'utf8').trim();
      assert.equal(key.length, 64);
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      // The banner's console login link, and `readwire console-link`, carry a working admin UserSig in the fragment.
      const [, link] = await p.waitFor(/^ {2}console {5}(\S+)/m);
      const linked = spawnCli(['console-link', '--ttl', '600', '--url', url!], dir);
      assert.equal(await linked.exited, 0);
      for (const l of [link!, linked.output().trim()]) {
        const u = new URL(l);
        assert.equal(`${u.origin}${u.pathname}`, `${url}/console`);
        assert.equal(u.search, '');
        const f = new URLSearchParams(u.hash.slice(1));
        assert.equal(f.get('app'), '1400000000');
        const q = `sdkappid=${f.get('app')}&identifier=${f.get('id')}&random=1&contenttype=json`;
        const overview = (await (
          await fetch(`${url}/v4/readwire_console/user_overview?${q}`, {
            method: 'POST',
            headers: { authorization: `UserSig ${f.get('sig')}` },
            body: '{"Account":"administrator"}',
          })
        ).json()) as { ErrorCode: number };
        assert.equal(overview.ErrorCode, 0, l);
      }
      const r = (await (await fetch(curl!, { method: 'POST', body: '{"UserID":"alice"}' })).json()) as {
        ErrorCode: number;
      };
      assert.equal(r.ErrorCode, 0);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.match(
        metrics,
        /readwire_rest_requests_total\{command="im_open_login_svc\/account_import",error_code="0"\} 1/,
      );
      assert.match(metrics, /readwire_rest_request_duration_seconds_bucket/);

      // A second server on the same SQLite file refuses to start, clearly.
      const second = spawnCli(['serve', '--port', '0', '--log-format', 'pretty'], dir);
      assert.equal(await second.exited, 1);
      assert.match(second.output(), /in use by another process/);

      // SIGTERM shuts down gracefully (exit 0), and the key survives a restart.
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
      const again = spawnCli(['serve', '--port', '0', '--log-format', 'pretty'], dir);
      await again.waitFor(/listening on/);
      assert.equal(readFileSync(join(dir, 'data', 'secret-key'), 'utf8').trim(), key);
      again.child.kill('SIGINT');
      assert.equal(await again.exited, 0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('serve --config refuses a bad file naming the exact field and reason', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ apps: [{ sdkAppId: 1400000001, secretKey: 'short' }] }));
    const p = spawnCli(['serve', '--config', file], dir);
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /apps\[0\]\.secretKey: must be at least 16 characters/);
    writeFileSync(
      file,
      JSON.stringify({ apps: [{ sdkAppId: 1, secretKey: 'x'.repeat(20), callback: { url: 'ftp://x' } }] }),
    );
    const q = spawnCli(['serve', '--config', file], dir);
    assert.equal(await q.exited, 1);
    assert.match(q.output(), /apps\[0\]\.callback\.url: /);
  });

  it('serve --config with --port/--host overrides', async () => {
    const file = join(dir, 'good.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 1,
        storage: { sqlite: { path: join(dir, 'cfg.db') } },
        apps: [{ sdkAppId: 1400000005, secretKey: 'k'.repeat(32) }],
      }),
    );
    const p = spawnCli(
      ['serve', '--config', file, '--port', '0', '--host', '127.0.0.1', '--log-format', 'pretty'],
      dir,
    );
    try {
      const [, url] = await p.waitFor(/listening on (http:\/\/\S+)$/m);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });

  it('usersig prints a sig that verifies', async () => {
    const p = spawnCli(
      ['usersig', '--sdkappid', '1400000009', '--key', 'secret-key-123456', '--user', 'bob', '--expire', '600'],
      dir,
    );
    assert.equal(await p.exited, 0);
    const sig = p.output().trim();
    const r = await verifyUserSig({
      sdkAppId: 1400000009,
      secretKey: 'secret-key-123456',
      userId: 'bob',
      userSig: sig,
    });
    assert.equal(r.ok, true);
    if (r.ok) assert.equal(r.expiresAt - r.issuedAt, 600);
    const bad = spawnCli(['usersig', '--sdkappid', 'x', '--key', 'secret-key-123456', '--user', 'bob'], dir);
    assert.equal(await bad.exited, 2);
    assert.match(bad.output(), /--sdkappid must be a positive integer/);
  });
});
