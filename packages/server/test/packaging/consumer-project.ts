import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The workspace's `tsc` on `files` of the project `app`: module nodenext, strict. */
export function typeCheck(app: string, files: string[]): SpawnSyncReturns<string> {
  const tsconfig = {
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      strict: true,
      // As most projects do; `declaredTypeImports` checks what the packages' own declarations import.
      skipLibCheck: true,
      outDir: 'out',
      types: ['node'],
    },
    files,
  };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
  return run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
}

/**
 * Every package that the declaration files of the installed package `name` import, with whether the project can
 * resolve types for it: the package ships them (`types`, `typings`, a types export or an `index.d.ts`) or
 * `@types/…` is installed beside it. A missing one would make a consumer's strict type-check fail.
 */
export function declaredTypeImports(
  app: string,
  name: string,
): { imported: string; typed: boolean; declared: boolean }[] {
  const dir = join(app, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
  const found = new Set<string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.d.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/(?:from |import\()['"]([^'".][^'"]*)['"]/g)) {
          const spec = m[1]!;
          if (spec.startsWith('node:') || spec === name || spec.startsWith(`${name}/`)) continue;
          found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        }
      }
    }
  };
  walk(join(dir, 'dist'));
  const optional = new Set(
    Object.entries(manifest.peerDependenciesMeta ?? {})
      .filter(([, m]) => m.optional)
      .map(([n]) => n),
  );
  return [...found].sort().map((imported) => {
    const declared = imported in (manifest.dependencies ?? {}) || imported in (manifest.peerDependencies ?? {});
    const installed = join(app, 'node_modules', imported);
    let typed = optional.has(imported) && !existsSync(installed);
    if (!typed && existsSync(join(installed, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
      typed =
        pkg.types !== undefined ||
        pkg.typings !== undefined ||
        JSON.stringify(pkg.exports ?? {}).includes('"types"') ||
        existsSync(join(installed, 'index.d.ts'));
    }
    const atTypes = `@types/${imported.replace(/^@([^/]+)\//, '$1__')}`;
    typed ||= existsSync(join(app, 'node_modules', atTypes, 'package.json'));
    return { imported, typed, declared };
  });
}
