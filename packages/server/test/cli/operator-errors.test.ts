/**
 * Errors an operator meets, through real `readwire` processes: each names the file or setting at fault and the way
 * out, and is logged once rather than per request. Read-only and full file systems are made with small tmpfs mounts
 * (tests run as root, which ignores permission bits); where mounting is not allowed those cases are skipped.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnCli, STARTED } from '../helpers/spawn-cli.ts';
import { msg } from '../helpers/start-test-server.ts';
import { tencentUserSig } from '../helpers/tencent-sig.ts';

const APP = 1400000077;
const KEY = 'operator-errors-key-0123456789abcdef';

/** Mounts a tmpfs of `size` at `dir`; false where mounting is not allowed. */
function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const umount = (dir: string) => execFileSync('umount', ['-l', dir], { stdio: 'ignore' });

function writeConfig(dir: string, dbPath: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  const config = {
    port: 0,
    storage: { sqlite: { path: dbPath } },
    apps: [{ sdkAppId: APP, secretKey: KEY }],
    ...extra,
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

async function call(url: string, path: string, body: unknown, key = KEY): Promise<{ ErrorCode: number }> {
  const q = `sdkappid=${APP}&identifier=administrator&usersig=${tencentUserSig(APP, key, 'administrator')}&random=1&contenttype=json`;
  const res = await fetch(`${url}/v4/${path}?${q}`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as { ErrorCode: number };
}

describe('operator-facing errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-operr-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a database folder that is not a folder: the message names the path and the cause', async () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    const p = spawnCli(['serve', '--config', writeConfig(dir, join(dir, 'plain-file', 'readwire.db'))], dir);
    assert.equal(await p.exited, 1);
    assert.match(
      p.output(),
      /cannot open the SQLite database \S+plain-file\/readwire\.db: \S+plain-file is not a folder/,
    );
  });

  it('a read-only database folder, empty or with a database: the message names the path and says read-only', async (t) => {
    const ro = join(dir, 'ro');
    if (!mountTmpfs(ro, 'size=4m')) return t.skip('mount -t tmpfs is not allowed here');
    try {
      const config = writeConfig(dir, join(ro, 'readwire.db'));
      const first = spawnCli(['serve', '--config', config], dir);
      await first.waitFor(STARTED);
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);
      execFileSync('mount', ['-o', 'remount,ro', ro]);
      const p = spawnCli(['serve', '--config', config], dir);
      assert.equal(await p.exited, 1);
      assert.match(
        p.output(),
        /cannot open the SQLite database \S+ro\/readwire\.db: the folder \S+ro is on a read-only file system/,
      );
      assert.doesNotMatch(p.output(), /readwire: disk I\/O error/);
      const q = spawnCli(['serve', '--config', writeConfig(dir, join(ro, 'other.db'))], dir);
      assert.equal(await q.exited, 1);
      assert.match(q.output(), /\S+ro\/other\.db: the folder \S+ro is on a read-only file system/);
    } finally {
      umount(ro);
    }
  });

  it('disk full: 91000, "database or disk is full" with the path logged once, /healthz 503; writes resume with space', async (t) => {
    const small = join(dir, 'small');
    if (!mountTmpfs(small, 'size=3m')) return t.skip('mount -t tmpfs is not allowed here');
    const p = spawnCli(['serve', '--config', writeConfig(dir, join(small, 'readwire.db'))], dir);
    try {
      const [, url] = await p.waitFor(STARTED);
      assert.equal((await call(url!, 'im_open_login_svc/multiaccount_import', { Accounts: ['a', 'b'] })).ErrorCode, 0);
      // Fill the file system to the last byte.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(small, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // dd stops with ENOSPC: that is the point.
      }
      const codes: number[] = [];
      for (let i = 0; i < 20; i++)
        codes.push((await call(url!, 'openim/sendmsg', msg('a', 'b', 'x'.repeat(10_000)))).ErrorCode);
      assert.ok(
        codes.slice(5).every((c) => c === 91000),
        codes.join(),
      );
      const lines = p.output().match(/database or disk is full: cannot write \S+small\/readwire\.db/g) ?? [];
      assert.equal(lines.length, 1, p.output());
      assert.doesNotMatch(p.output(), /REST command failed/);
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 503);
      assert.match(((await health.json()) as { reason: string }).reason, /disk is full/);

      rmSync(join(small, 'filler'));
      assert.equal((await call(url!, 'openim/sendmsg', msg('a', 'b'))).ErrorCode, 0);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
      umount(small);
    }
  });

  it('EADDRINUSE: the message suggests --port', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as AddressInfo).port;
    try {
      const p = spawnCli(['serve', '--config', writeConfig(dir, join(dir, 'port.db')), '--port', String(port)], dir);
      assert.equal(await p.exited, 1);
      assert.match(p.output(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port`));
    } finally {
      holder.close();
    }
  });

  it('a UserSig signed with another key (70009): one log line naming where the key is kept', async () => {
    const data = join(dir, 'defaults');
    const p = spawnCli(['serve', '--port', '0', '--data', data], dir);
    try {
      const [, url] = await p.waitFor(STARTED);
      for (let i = 0; i < 3; i++) {
        const q = `sdkappid=1400000000&identifier=administrator&usersig=${tencentUserSig(1400000000, KEY, 'administrator')}&random=1&contenttype=json`;
        const r = (await (
          await fetch(`${url}/v4/im_open_login_svc/account_import?${q}`, { method: 'POST', body: '{"UserID":"x"}' })
        ).json()) as { ErrorCode: number };
        assert.equal(r.ErrorCode, 70009);
      }
      await p.waitFor(/signed with another secret key/);
      const hints =
        p
          .output()
          .match(
            /SDKAppID 1400000000 was signed with another secret key \(70009\)[^"]*the key kept in \S+defaults\/secret-key/g,
          ) ?? [];
      assert.equal(hints.length, 1, p.output());
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });

  it('readwire usersig refuses a key shorter than the server accepts', async () => {
    const p = spawnCli(['usersig', '--sdkappid', '1400000009', '--key', 'short', '--user', 'bob'], dir);
    assert.equal(await p.exited, 2);
    assert.match(p.output(), /--key must be at least 16 characters/);
  });
});
