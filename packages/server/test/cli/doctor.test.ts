import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCallbackReceiver } from '@readwire/sdk';
import { createNodeListener } from '@readwire/sdk/node';
import { parseConfig, startServer } from '@readwire/server';
import { spawnCli } from '../helpers/spawn-cli.ts';

const SDKAPPID = 1400000042;
const TOKEN = 'doctor-token';

interface Finding {
  check: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  message: string;
  fix?: string;
}

describe('readwire doctor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-doctor-'));
  const probes: { command: string; eventId: string | undefined }[] = [];
  let skewMs = 0;
  let receiver: Server;
  let receiverUrl = '';

  before(async () => {
    // A real receiver built with the SDK, verifying Sign and RequestTime with the token; its Date header can lie.
    const rx = createCallbackReceiver({ sdkAppId: SDKAPPID, tokens: TOKEN });
    rx.onAny((_event, ctx) => void probes.push({ command: ctx.command, eventId: ctx.eventId }));
    const listener = createNodeListener(rx, { path: '/im' });
    receiver = createServer((req, res) => {
      if (skewMs !== 0) res.setHeader('Date', new Date(Date.now() + skewMs).toUTCString());
      void listener(req, res);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/im`;
  });
  after(async () => {
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a configuration file; `callback` and the top-level fields are merged over a working default. */
  function config(name: string, top: Record<string, unknown> = {}, callback: Record<string, unknown> = {}): string {
    const file = join(dir, `${name}.json`);
    const cfg = {
      port: 0,
      allowPrivateCallbackUrls: true,
      storage: { sqlite: { path: join(dir, name, 'readwire.db') } },
      apps: [
        { sdkAppId: SDKAPPID, secretKey: 's'.repeat(32), callback: { url: receiverUrl, token: TOKEN, ...callback } },
      ],
      ...top,
    };
    writeFileSync(file, JSON.stringify(cfg));
    return file;
  }

  async function doctor(...args: string[]): Promise<{ code: number | null; findings: Finding[]; out: string }> {
    const p = spawnCli(['doctor', '--json', ...args], dir);
    const code = await p.exited;
    const out = p.output();
    return { code, out, findings: (JSON.parse(out) as { results: Finding[] }).results };
  }
  const find = (findings: Finding[], check: string) => findings.filter((f) => f.check === check);

  it('a good configuration with a live receiver: every check ok, the receiver verified one signed probe, exit 0', async () => {
    probes.length = 0;
    const { code, findings } = await doctor('--config', config('good'));
    assert.equal(code, 0, JSON.stringify(findings, null, 2));
    assert.deepEqual(
      findings.map((f) => [f.check, f.status]),
      [
        ['config', 'ok'],
        ['node', 'ok'],
        ['storage', 'ok'],
        ['port', 'ok'],
        ['callback', 'ok'],
        ['clock', 'ok'],
      ],
    );
    assert.match(
      find(findings, 'storage')[0]!.message,
      new RegExp(`SQLite ${join(dir, 'good', 'readwire.db')}: will be created`),
    );
    assert.match(find(findings, 'callback')[0]!.message, /answered HTTP 200 in \d+ ms: \{"ActionStatus":"OK"/);
    assert.match(
      find(findings, 'clock')[0]!.message,
      /(within a second of|1 s (ahead of|behind)) http:\/\/127\.0\.0\.1:\d+/,
    );
    assert.equal(probes.length, 1);
    assert.equal(probes[0]!.command, 'Readwire.Probe');
    assert.match(probes[0]!.eventId ?? '', /^probe-/);
  });

  it('the text form lists each finding and a summary; --skip-probe sends nothing', async () => {
    probes.length = 0;
    const p = spawnCli(['doctor', '--config', config('text'), '--skip-probe'], dir);
    assert.equal(await p.exited, 0);
    assert.match(
      p.output(),
      /^ {2}ok {4}callback {2}app 1400000042: http:\/\/127\.0\.0\.1:\d+\/im is allowed \(probe skipped\)$/m,
    );
    assert.match(p.output(), /everything needed to start is in place\.$/m);
    assert.equal(probes.length, 0);
  });

  it('a wrong token: the receiver refuses the probe (401), doctor says to fix the token, exit 1', async () => {
    const { code, findings } = await doctor('--config', config('token', {}, { token: 'not-the-token' }));
    assert.equal(code, 1);
    const [f] = find(findings, 'callback');
    assert.equal(f!.status, 'fail');
    assert.match(f!.message, /answered HTTP 401 .*SIGN_MISMATCH/);
    assert.match(f!.fix!, /callback\.token/);
  });

  it('no receiver listening: the probe fails with the connection error, exit 1', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, findings } = await doctor('--config', config('down', {}, { url: `http://127.0.0.1:${port}/im` }));
    assert.equal(code, 1);
    assert.match(find(findings, 'callback')[0]!.message, /failed: ECONNREFUSED/);
  });

  it('a loopback callback URL with allowPrivateCallbackUrls off fails the SSRF rule and is not contacted', async () => {
    probes.length = 0;
    const { code, findings } = await doctor('--config', config('ssrf', { allowPrivateCallbackUrls: false }));
    assert.equal(code, 1);
    const [f] = find(findings, 'callback');
    assert.equal(f!.status, 'fail');
    assert.match(f!.message, /127\.0\.0\.1 is a private, loopback or link-local address/);
    assert.match(f!.fix!, /allowPrivateCallbackUrls/);
    assert.equal(probes.length, 0);
  });

  it('a receiver whose clock is 5 minutes off: the clock check fails (receivers refuse a RequestTime over 60 s off)', async () => {
    skewMs = -5 * 60_000;
    try {
      // The SDK receiver checks RequestTime against its own (true) clock, so the probe itself is accepted.
      const { code, findings } = await doctor('--config', config('clock'));
      assert.equal(code, 1);
      const [f] = find(findings, 'clock');
      assert.equal(f!.status, 'fail');
      assert.match(f!.message, /30\d s ahead of http:\/\/127\.0\.0\.1:\d+/);
      assert.match(f!.fix!, /NTP/);
    } finally {
      skewMs = 0;
    }
  });

  it('an invalid configuration names the field, and the checks that need it are not run', async () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ apps: [{ sdkAppId: 1, secretKey: 'short' }] }));
    const { code, findings } = await doctor('--config', file);
    assert.equal(code, 1);
    assert.deepEqual(
      findings.map((f) => [f.check, f.status]),
      [
        ['config', 'fail'],
        ['node', 'ok'],
      ],
    );
    assert.match(findings[0]!.message, /apps\[0\]\.secretKey: must be at least 16 characters/);
  });

  it('a port in use and a database held by a running server both fail with what to do', async () => {
    const db = join(dir, 'held', 'readwire.db');
    const server = await startServer(
      parseConfig({
        port: 0,
        logLevel: 'silent',
        storage: { sqlite: { path: db } },
        apps: [{ sdkAppId: SDKAPPID, secretKey: 's'.repeat(32) }],
      }),
    );
    try {
      const { code, findings } = await doctor(
        '--config',
        config('held'),
        '--port',
        String(server.port),
        '--skip-probe',
      );
      assert.equal(code, 1);
      const [storage] = find(findings, 'storage');
      assert.equal(storage!.status, 'fail');
      assert.match(storage!.message, /is in use by another process/);
      const [port] = find(findings, 'port');
      assert.equal(port!.status, 'fail');
      assert.match(port!.message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${server.port}: EADDRINUSE`));
      assert.match(port!.fix!, /another readwire server/);
    } finally {
      await server.close();
    }
    // Once the server stopped, the same database is reported writable at the current schema version.
    const { findings } = await doctor('--config', config('held'), '--skip-probe');
    assert.match(find(findings, 'storage')[0]!.message, /writable, schema version \d+ \(current\)/);
  });

  it('a database path whose folder cannot be created fails the storage check', async () => {
    mkdirSync(join(dir, 'blocked-parent'), { recursive: true });
    writeFileSync(join(dir, 'blocked-parent', 'file'), 'not a folder');
    const file = config('blocked', {
      storage: { sqlite: { path: join(dir, 'blocked-parent', 'file', 'db', 'x.db') } },
    });
    const { code, findings } = await doctor('--config', file, '--skip-probe');
    assert.equal(code, 1);
    const [f] = find(findings, 'storage');
    assert.equal(f!.status, 'fail');
    assert.match(f!.message, /is a file, not a folder/);
  });

  it('without --config it checks the npm start defaults in --data, creating nothing', async () => {
    const { code, findings } = await doctor('--data', 'fresh-data', '--port', '0');
    assert.equal(code, 0, JSON.stringify(findings));
    assert.match(findings[0]!.message, /built-in defaults .*fresh-data\/secret-key generated at first start/);
    assert.equal(find(findings, 'callback')[0]!.status, 'skip');
    assert.equal(existsSync(join(dir, 'fresh-data')), false);
  });
});
