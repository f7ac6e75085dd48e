import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLI, spawnCli } from '../helpers/spawn-cli.ts';

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('readwire serve start-up output', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'readwire-logs-')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('not on a terminal: JSON lines only, one "readwire started" line with the resolved paths, no credentials', async () => {
    const data = join(dir, 'json-data');
    const p = spawnCli(['serve', '--port', '0', '--data', 'json-data'], dir);
    try {
      await p.waitFor(/"msg":"readwire started"/);
      const lines = p.output().trim().split('\n');
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const started = records.filter((r) => r.msg === 'readwire started');
      assert.equal(started.length, 1);
      const s = started[0]!;
      assert.equal(s.database, join(data, 'readwire.db'));
      assert.equal(s.secretKeyFile, join(data, 'secret-key'));
      assert.equal(s.storage, 'SQLite');
      assert.equal(s.configFile, null);
      assert.deepEqual(s.apps, [1400000000]);
      assert.equal((await fetch(`${String(s.url)}/healthz`)).status, 200);
      // The listener's own "Server listening at" line would repeat the URL; the warning appears once.
      assert.equal(records.filter((r) => String(r.msg).startsWith('Server listening')).length, 0);
      assert.equal(records.filter((r) => String(r.msg).includes('allowPrivateCallbackUrls')).length, 1);
      const key = readFileSync(join(data, 'secret-key'), 'utf8').trim();
      assert.ok(!p.output().includes(key));
      assert.ok(!/usersig|UserSig/.test(p.output()));
      assert.ok(!/\/console#|sig=/.test(p.output()), 'no console login link in JSON logs');
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
      const last = JSON.parse(p.output().trim().split('\n').at(-1)!) as Record<string, unknown>;
      assert.equal(last.msg, 'shutting down');
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('--log-format json and --log-level warn: JSON lines at warn and above only', async () => {
    const p = spawnCli(['serve', '--port', '0', '--data', 'lvl', '--log-format', 'json', '--log-level', 'warn'], dir);
    try {
      await p.waitFor(/allowPrivateCallbackUrls/);
      // At level warn the info "readwire started" line is not logged; give it time to (not) appear.
      await new Promise((r) => setTimeout(r, 500));
      const records = p
        .output()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { level: number; msg: string });
      assert.deepEqual(
        records.map((r) => r.level),
        [40],
      );
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });

  it(
    'on a (pseudo-)terminal: the banner and human log lines, no JSON',
    { skip: !hasScript && 'no script(1)' },
    async () => {
      // script(1) gives the server a pseudo-terminal; the shell prints the server's pid so the test can stop it.
      const command = `node ${CLI} serve --port 0 --data tty-data & echo "PID=$!"; wait $!`;
      const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        const deadline = Date.now() + 20_000;
        while (!/curl -s -X POST '[^']+'/.test(out) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        const text = out.replace(/\r\n/g, '\n');
        const pid = Number(/PID=(\d+)/.exec(text)?.[1]);
        assert.ok(pid > 0, text);
        const [, url] = /^Readwire \S+ listening on (http:\/\/\S+)$/m.exec(text) ?? [];
        assert.ok(url, text);
        assert.equal((await fetch(`${url}/healthz`)).status, 200);
        assert.ok(text.includes(`  database    SQLite ${join(dir, 'tty-data', 'readwire.db')}\n`), text);
        assert.ok(
          text.includes(`  config      built-in defaults; secret key in ${join(dir, 'tty-data', 'secret-key')}\n`),
        );
        assert.match(text, /^\d\d:\d\d:\d\d WARN {2}allowPrivateCallbackUrls is on/m);
        assert.doesNotMatch(text, /^\{/m);
        assert.doesNotMatch(text, /Server listening at/);
        assert.equal(text.match(/listening on/g)?.length, 1);
        // The README shows the same lines, in the same order (first word of each, at the same indentation).
        const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
        const shown = /`npm start` runs[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1];
        assert.ok(shown, 'README shows the banner');
        const skeleton = (lines: string) =>
          lines
            .split('\n')
            .filter((l) => l !== '' && !l.startsWith('PID='))
            .map((l) => /^(\s*\S+)/.exec(l.replace(/^\d\d:\d\d:\d\d/, 'TIME'))![1]);
        assert.deepEqual(skeleton(text.slice(0, text.indexOf('-d \'{"UserID":"alice"}\''))), skeleton(shown));
        process.kill(pid, 'SIGTERM');
        assert.equal(await exited, 0);
        assert.match(out.replace(/\r\n/g, '\n'), /^\d\d:\d\d:\d\d INFO {2}shutting down signal=SIGTERM$/m);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
