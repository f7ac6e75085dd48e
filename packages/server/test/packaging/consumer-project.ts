import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const require = createRequire(join(root, 'package.json'));

/** A CommonJS consumer (compiled from .cts to require() calls): every package and a subpath. */
export const CJS_EXAMPLE = `import { genUserSig } from '@readwire/sdk';
import { createNodeListener } from '@readwire/sdk/node';
import { ReadwireClient } from '@readwire/client';
import { parseConfig, startServer } from '@readwire/server';

async function main(): Promise<void> {
  const sdkAppId = 1400000001;
  const secretKey = 'replace-with-a-long-random-secret';
  const server = await startServer(
    parseConfig({ port: 0, logLevel: 'warn', storage: { sqlite: { path: 'cjs.db' } }, apps: [{ sdkAppId, secretKey }] }),
  );
  const usersig = await genUserSig({ sdkAppId, secretKey, userId: 'administrator' });
  const query = \`sdkappid=\${sdkAppId}&identifier=administrator&usersig=\${usersig}&random=1&contenttype=json\`;
  const res = await fetch(\`\${server.url}/v4/im_open_login_svc/account_import?\${query}\`, { method: 'POST', body: '{"UserID":"alice"}' });
  console.log('account_import', JSON.stringify(await res.json()));
  console.log(typeof createNodeListener, typeof ReadwireClient);
  await server.close();
}
void main();
`;

/** Runs a command to completion. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
}
/** Everything a command printed. */
export const output = (r: SpawnSyncReturns<string>) => `${r.stdout}\n${r.stderr}`;

/** A fenced code block of a README: the first one of `lang` after `heading` (or between the example markers). */
export function readmeBlock(readme: string, lang: string, heading?: string): string {
  const from = heading === undefined ? readme : readme.slice(readme.indexOf(heading));
  const marked = /<!-- readme-example:start -->\s*```ts\n([\s\S]*?)```/.exec(from);
  const block = heading === undefined ? marked : new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(from);
  assert.ok(block, `README block ${lang} ${heading ?? ''}`);
  return block[1]!;
}

/**
 * better-sqlite3's install script first looks for a prebuilt binary in a local folder (prebuild-install's
 * `local-prebuilds`, which the project's `.prebuild-installrc` names), then downloads one, then compiles SQLite (one
 * to two minutes). The workspace's own build is the same version for the same Node, so it is offered there as the
 * local prebuild; without it an install still works, only slower.
 */
export function offerWorkspacePrebuild(workspace: string, prebuilds: string): void {
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json', { paths: [workspace] }));
  const { version } = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(prebuilds, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const r = run('tar', ['-czf', join(prebuilds, name), 'build/Release/better_sqlite3.node'], sqliteDir);
  assert.equal(r.status, 0, output(r));
}

/** The workspace's `tsc` on `files` of the project `app`: module nodenext, strict, library types checked too. */
export function typeCheck(app: string, files: string[]): SpawnSyncReturns<string> {
  const tsconfig = {
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      strict: true,
      skipLibCheck: false,
      outDir: 'out',
      types: ['node'],
    },
    files,
  };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
  return run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
}
