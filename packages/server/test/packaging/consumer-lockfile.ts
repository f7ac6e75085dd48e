import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  [field: string]: unknown;
}

/** A packed workspace package: its name and tarball. */
export interface Tarball {
  name: string;
  file: string;
}

/**
 * A package-lock.json for an empty project that depends on the given tarballs, with every other package pinned to
 * what the workspace's own lock resolved (same versions, same integrity). With it, `npm ci --offline` installs from
 * the npm cache alone — which `npm ci` of the workspace filled — without the registry metadata that resolving
 * version ranges would need.
 */
export function consumerLockfile(root: string, appDir: string, tarballs: Tarball[]): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const workspaceOf = new Map(tarballs.map((t) => [t.name, lock.packages[`node_modules/${t.name}`]?.resolved]));
  const packages: Record<string, LockEntry> = {};
  const spec = (t: Tarball) => `file:${relative(appDir, t.file)}`;
  packages[''] = {
    name: basename(appDir),
    version: '1.0.0',
    dependencies: Object.fromEntries(tarballs.map((t) => [t.name, spec(t)])),
  };

  /** Node's resolution of `name` from the lock path `from` (a package folder), upwards to the root. */
  function locate(from: string, name: string): string | undefined {
    let dir = from;
    for (;;) {
      const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      if (dir === '') return undefined;
      const cut = dir.lastIndexOf('/node_modules/');
      dir = cut >= 0 ? dir.slice(0, cut) : '';
    }
  }
  /** Where a workspace lock path goes in the consumer's tree. */
  const target = (path: string) => {
    for (const [name, ws] of workspaceOf) {
      if (ws !== undefined && (path === ws || path.startsWith(`${ws}/`)))
        return `node_modules/${name}${path.slice(ws.length)}`;
    }
    return path;
  };

  const queue: string[] = [];
  for (const t of tarballs) {
    const ws = workspaceOf.get(t.name);
    const entry = ws === undefined ? undefined : lock.packages[ws];
    if (!ws || !entry) throw new Error(`${t.name} is not a workspace package of ${root}`);
    const { devDependencies: _dev, name: _name, ...rest } = entry;
    const integrity = `sha512-${createHash('sha512').update(readFileSync(t.file)).digest('base64')}`;
    packages[`node_modules/${t.name}`] = { ...rest, resolved: spec(t), integrity };
    queue.push(ws);
  }
  const seen = new Set<string>(queue);
  while (queue.length > 0) {
    const from = queue.shift()!;
    const entry = lock.packages[from]!;
    const optionalPeers = new Set(
      Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, m]) => m.optional === true)
        .map(([n]) => n),
    );
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
    ];
    for (const name of names) {
      if (workspaceOf.has(name)) continue;
      const at = locate(from, name);
      if (at === undefined || seen.has(at)) continue;
      seen.add(at);
      queue.push(at);
      const { dev: _d, devOptional: _o, peer: _p, ...copy } = lock.packages[at]!;
      packages[target(at)] = copy;
    }
  }
  return { name: basename(appDir), version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
