import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnCli } from '../helpers/spawn-cli.ts';

/** Every command with options its help must list. */
const COMMANDS: Record<string, string[]> = {
  serve: [
    '--config FILE',
    '--data DIR',
    '--port N',
    '--host HOST',
    '--log-format FORMAT',
    '--log-level LEVEL',
    '--new-database',
  ],
  doctor: ['--config FILE', '--data DIR', '--port N', '--host HOST', '--skip-probe', '--json'],
  usersig: ['--sdkappid N', '--key KEY', '--user ID', '--expire SECONDS'],
  'console-link': ['--config FILE', '--data DIR', '--app N', '--ttl SECONDS', '--url URL'],
  deliveries: ['--config FILE', '--url URL', '--sdkappid N', '--key KEY', '--state STATE', '--event ID', '--json'],
  replay: ['--config FILE', '--url URL', '--event ID', '--dead', '--command CMD', '--since TIME'],
  backup: ['--config FILE', '--url URL', '--sdkappid N', '--key KEY', '--json'],
  'migrate-data': ['--from sqlite:PATH', '--to postgres:URL', '--schema NAME'],
};

describe('readwire --help and usage errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-help-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(...args: string[]): Promise<{ code: number | null; out: string }> {
    const p = spawnCli(args, dir);
    const code = await p.exited;
    return { code, out: p.output() };
  }

  it('readwire --help, -h, help and no arguments list every command, exit 0', async () => {
    const variants = [['--help'], ['-h'], ['help'], []];
    const runs = await Promise.all(variants.map((args) => run(...args)));
    for (const [i, args] of variants.entries()) {
      const { code, out } = runs[i]!;
      assert.equal(code, 0, args.join(' '));
      assert.match(out, /^Usage: readwire <command> \[options\]$/m);
      for (const name of Object.keys(COMMANDS)) assert.match(out, new RegExp(`^  ${name} +\\S`, 'm'), name);
      assert.match(out, /Examples:/);
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, out } = await run('--version');
    assert.equal(code, 0);
    assert.equal(out, `${pkg.version}\n`);
  });

  for (const [name, options] of Object.entries(COMMANDS)) {
    it(`${name} --help, -h and 'help ${name}' show its usage, every option and an example, exit 0`, async () => {
      const variants = [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
        [name, '--port', '1', '--help'],
      ];
      const runs = await Promise.all(variants.map((args) => run(...args)));
      for (const [i, args] of variants.entries()) {
        const { code, out } = runs[i]!;
        assert.equal(code, 0, args.join(' '));
        assert.match(out, new RegExp(`^Usage: readwire ${name} `, 'm'));
        for (const option of options) assert.ok(out.includes(option), `${args.join(' ')}: ${option}\n${out}`);
        assert.match(out, /-h, --help/);
        assert.match(out, new RegExp(`^Examples:\\n  readwire ${name}`, 'm'));
      }
    });

    it(`${name} with an unknown option exits 2 naming it and pointing to --help`, async () => {
      const { code, out } = await run(name, '--no-such-option');
      assert.equal(code, 2);
      assert.match(out, new RegExp(`readwire ${name}: unknown option --no-such-option`));
      assert.match(out, new RegExp(`Run 'readwire ${name} --help'`));
    });
  }

  it('a missing value, a stray argument and an unknown command exit 2 with a useful message', async () => {
    let r = await run('serve', '--port');
    assert.equal(r.code, 2);
    assert.match(r.out, /readwire serve: --port needs a value/);
    r = await run('serve', 'extra');
    assert.equal(r.code, 2);
    assert.match(r.out, /unexpected argument 'extra'/);
    r = await run('serve', '--port', 'eighty');
    assert.equal(r.code, 2);
    assert.match(r.out, /--port eighty is not a port number/);
    r = await run('usersig', '--user', 'bob');
    assert.equal(r.code, 2);
    assert.match(r.out, /--sdkappid, --key and --user are required/);
    r = await run('replay', '--sdkappid', '1', '--key', 'k');
    assert.equal(r.code, 2);
    assert.match(r.out, /give either --event ID or --dead/);
    r = await run('deliveries');
    assert.equal(r.code, 2);
    assert.match(r.out, /give --config FILE, or --sdkappid N and --key KEY/);
    r = await run('frobnicate');
    assert.equal(r.code, 2);
    assert.match(r.out, /unknown command 'frobnicate'[\s\S]*readwire --help/);
  });
});
