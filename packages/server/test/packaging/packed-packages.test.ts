/**
 * The three packages as a user gets them: `npm pack`ed, installed from the tarballs into an empty project (offline,
 * from the npm cache), and their README examples run from there — ESM, CommonJS, and a `module: nodenext`
 * type-check.
 * @module
 */
import assert from 'node:assert/strict';
import { spawn, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { tencentCallbackSign } from '@readwire/sdk';
import { consumerLockfile, type Tarball } from './consumer-lockfile.ts';
import {
  CJS_EXAMPLE,
  declaredTypeImports,
  offerWorkspacePrebuild,
  output,
  readmeBlock,
  run,
  typeCheck,
} from './consumer-project.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGES = ['sdk', 'client', 'console', 'server'] as const;

interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

describe('packages as published: npm pack, install the tarballs, run the README examples', () => {
  const work = mkdtempSync(join(tmpdir(), 'readwire-pack-'));
  const app = join(work, 'app');
  const installed = (name: string, file: string) => readFileSync(join(app, 'node_modules', name, file), 'utf8');
  let packed: Packed[] = [];
  let install: SpawnSyncReturns<string>;
  after(() => rmSync(work, { recursive: true, force: true }));

  before(
    () => {
      const tarballs = join(work, 'tarballs');
      mkdirSync(tarballs);
      const args = [
        'pack',
        '--json',
        '--pack-destination',
        tarballs,
        ...PACKAGES.flatMap((p) => ['-w', `packages/${p}`]),
      ];
      const pack = run('npm', args, root);
      assert.equal(pack.status, 0, output(pack));
      packed = JSON.parse(pack.stdout) as Packed[];

      const prebuilds = join(work, 'prebuilds');
      offerWorkspacePrebuild(root, prebuilds);

      mkdirSync(app);
      writeFileSync(join(app, '.prebuild-installrc'), JSON.stringify({ 'local-prebuilds': prebuilds }));
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }),
      );
      const deps: Tarball[] = packed.map((p) => ({ name: p.name, file: join(tarballs, p.filename) }));
      const lock = consumerLockfile(root, app, deps);
      writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
      const dependencies = (lock as { packages: Record<string, { dependencies: object }> }).packages['']!.dependencies;
      const pkg = {
        name: 'app',
        version: '1.0.0',
        private: true,
        type: 'module',
        dependencies,
        allowScripts: { 'better-sqlite3': true },
      };
      writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
      const ci = ['ci', '--no-audit', '--no-fund', '--foreground-scripts'];
      install = run('npm', [...ci, '--offline'], app);
      // A cache that lacks a tarball (node_modules restored without `npm ci`): fetch just that from the registry.
      if (install.status !== 0 && output(install).includes('ENOTCACHED'))
        install = run('npm', [...ci, '--prefer-offline'], app);
    },
    { timeout: 300_000 },
  );

  it('each tarball holds its exports, types, bin, README and LICENSE, and no tests or build info', () => {
    assert.deepEqual(packed.map((p) => p.name).sort(), [
      '@readwire/client',
      '@readwire/console',
      '@readwire/sdk',
      '@readwire/server',
    ]);
    for (const p of packed) {
      const files = new Set(p.files.map((f) => f.path));
      const manifest = JSON.parse(
        readFileSync(join(root, 'packages', p.name.split('/')[1]!, 'package.json'), 'utf8'),
      ) as {
        exports: Record<string, string | Record<string, string>>;
        bin?: Record<string, string>;
        private?: boolean;
        repository?: { url: string; directory: string };
        engines?: { node: string };
        license?: string;
      };
      assert.equal(manifest.private, undefined, p.name);
      assert.equal(manifest.license, 'MIT');
      assert.equal(manifest.engines?.node, '>=20.19');
      assert.equal(manifest.repository?.directory, `packages/${p.name.split('/')[1]}`);
      for (const must of ['package.json', 'README.md', 'LICENSE']) assert.ok(files.has(must), `${p.name} ${must}`);
      const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
      for (const t of [...targets, ...Object.values(manifest.bin ?? {})]) {
        const path = t.replace(/^\.\//, '');
        // A subpath pattern (`./dist/*`) needs at least one file under its prefix.
        const present = path.endsWith('*') ? [...files].some((f) => f.startsWith(path.slice(0, -1))) : files.has(path);
        assert.ok(present, `${p.name} ${t}`);
      }
      for (const f of files)
        assert.doesNotMatch(f, /(^|\/)test\/|\.tsbuildinfo$|\.test\.|^\.|\/\./, `${p.name} ships ${f}`);
    }
  });

  it('publint on each installed package: nothing (the client keeps its `browser` field for bundlers: one suggestion)', async () => {
    assert.equal(install.status, 0, output(install));
    for (const p of packed) {
      // Installed from the tarball, the folder holds exactly the published files.
      const { messages, pkg } = await publint({
        pkgDir: join(app, 'node_modules', p.name),
        pack: false,
        level: 'suggestion',
        strict: true,
      });
      // formatMessage colours its words where it thinks a terminal may show them (it does with CI set): plain text here.
      const found = messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`.replace(/\x1b\[[0-9;]*m/g, ''));
      const allowed =
        p.name === '@readwire/client'
          ? found.filter((m) => !m.startsWith('suggestion: pkg.browser with an object value'))
          : found;
      assert.deepEqual(allowed, [], p.name);
    }
  });

  it('npm ci --offline of the tarballs in an empty project succeeds with no engine warning', () => {
    assert.equal(install.status, 0, output(install));
    assert.doesNotMatch(output(install), /EBADENGINE/);
    assert.ok(existsSync(join(app, 'node_modules/.bin/readwire')));
  });

  it('the installed readwire CLI answers --help and doctor', () => {
    const help = run(join(app, 'node_modules/.bin/readwire'), ['--help'], app);
    assert.equal(help.status, 0, output(help));
    assert.match(help.stdout, /^ {2}doctor +/m);
    const doctor = run(
      join(app, 'node_modules/.bin/readwire'),
      ['doctor', '--data', 'doctor-data', '--port', '0'],
      app,
    );
    assert.equal(doctor.status, 0, output(doctor));
    assert.match(doctor.stdout, /ok {4}storage {3}SQLite /);
  });

  it('every package the published declarations import is a dependency whose types the project gets', () => {
    for (const p of packed) {
      const imports = declaredTypeImports(app, p.name);
      for (const i of imports) assert.deepEqual(i, { ...i, typed: true, declared: true }, p.name);
      if (p.name === '@readwire/server') assert.ok(imports.some((i) => i.imported === 'better-sqlite3'));
    }
  });

  it('the README examples and a CommonJS module type-check with module nodenext (strict)', () => {
    const serverBlock = readmeBlock(installed('@readwire/server', 'README.md'), 'ts');
    assert.equal(serverBlock, readmeBlock(readFileSync(join(root, 'README.md'), 'utf8'), 'ts'));
    writeFileSync(join(app, 'server-example.ts'), serverBlock);
    writeFileSync(join(app, 'cjs-example.cts'), CJS_EXAMPLE);
    const sdkBlock = readmeBlock(installed('@readwire/sdk', 'README.md'), 'ts', '## Usage');
    // The README's `db` is the reader's own; its fixed port becomes any free port, printed for the test.
    const stub = `const db = { markRead: async (...args: unknown[]) => void console.log('markRead', JSON.stringify(args)) };\n`;
    const listen = `.listen(0, '127.0.0.1', function (this: import('node:net').Server) { console.log('port', (this.address() as import('node:net').AddressInfo).port); })`;
    assert.ok(sdkBlock.includes('.listen(8080)'));
    writeFileSync(join(app, 'sdk-example.ts'), sdkBlock.replace('.listen(8080)', listen) + stub);
    const tsc = typeCheck(app, ['server-example.ts', 'cjs-example.cts', 'sdk-example.ts']);
    assert.equal(tsc.status, 0, output(tsc));
  });

  it("@readwire/server README 'Use it from code': runs as ESM", () => {
    const r = run(process.execPath, ['out/server-example.js'], app, { EXAMPLE_DIR: app });
    assert.equal(r.status, 0, output(r));
    assert.deepEqual(
      [...r.stdout.matchAll(/AllC2CUnreadMsgNum: (\d+)/g)].map((m) => Number(m[1])),
      [1, 0],
    );
  });

  it('CommonJS: the .cts module compiles to require() of every package and runs', () => {
    const r = run(process.execPath, ['out/cjs-example.cjs'], app);
    assert.equal(r.status, 0, output(r));
    assert.match(readFileSync(join(app, 'out/cjs-example.cjs'), 'utf8'), /require\("@readwire\/server"\)/);
    assert.match(r.stdout, /^account_import \{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""\}$/m);
    assert.match(r.stdout, /^function function$/m);
  });

  it('@readwire/sdk README Usage runs as ESM and verifies a signed callback', async () => {
    const child = spawn(process.execPath, ['out/sdk-example.js'], {
      cwd: app,
      env: { ...process.env, IM_CALLBACK_TOKEN: 'tok' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const deadline = Date.now() + 20_000;
      while (!/port \d+/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const port = /port (\d+)/.exec(out)?.[1];
      assert.ok(port, out);
      const t = Math.floor(Date.now() / 1000);
      const query = `SdkAppid=1400000000&CallbackCommand=C2C.CallbackAfterMsgReport&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&RequestTime=${t}&Sign=${await tencentCallbackSign('tok', t)}`;
      const body = {
        CallbackCommand: 'C2C.CallbackAfterMsgReport',
        Report_Account: 'bob',
        Peer_Account: 'alice',
        LastReadTime: t,
        UnreadMsgNum: 0,
        EventTime: Date.now(),
      };
      const res = await fetch(`http://127.0.0.1:${port}/im/callback?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-readwire-event-id': 'evt-1' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200, await res.clone().text());
      while (!/markRead/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.match(out, new RegExp(`markRead \\["bob","alice",${t},"evt-1"\\]`));
    } finally {
      child.kill();
    }
  });

  it('@readwire/client README Usage runs as ESM against the installed `readwire serve`', async () => {
    const server = spawn(join(app, 'node_modules/.bin/readwire'), ['serve', '--port', '0', '--log-format', 'json'], {
      cwd: app,
    });
    let log = '';
    server.stdout.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const deadline = Date.now() + 20_000;
      while (!/"readwire started"/.test(log) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const url = /"url":"(http:\/\/[^"]+)"/.exec(log)?.[1];
      assert.ok(url, log);
      writeFileSync(
        join(app, 'client-example.mjs'),
        readmeBlock(installed('@readwire/client', 'README.md'), 'js', '## Usage'),
      );
      // The example reads data/secret-key from the working directory, as after `npm start`.
      const r = run(process.execPath, ['client-example.mjs'], app, {
        READWIRE_URL: `${url.replace('http', 'ws')}/v1/client`,
      });
      assert.equal(r.status, 0, output(r));
      assert.match(r.stdout, /^bob got "Hello Bob!" from alice; unread: 1$/m);
      assert.match(r.stdout, /^alice sees that bob read up to \d+$/m);
      // The installed server serves the installed console's built page, with its security headers.
      const page = await fetch(`${url}/console`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script type="module"[^>]* src="\/console\/assets\/[^"]+\.js"/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    } finally {
      server.kill('SIGTERM');
    }
  });
});
