import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Where a profile's self time went: the top functions, and totals by package (or Readwire source folder). */
export function topFunctions(file: string, limit = 25): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const dt = profile.timeDeltas[i] ?? 0;
    const f = node.callFrame;
    const where = f.url
      ? `${f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/')}:${f.lineNumber + 1}`
      : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    if (f.functionName === '(idle)') {
      idle += dt;
      return;
    }
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = packageOf(f.url, f.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
    total += dt;
  });
  const lines = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
      );
  return [
    `busy ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s; shares of busy time`,
    'by function (self time):',
    ...lines(self, limit),
    'by package:',
    ...lines(byPackage, 15),
  ];
}

/** `fastify`, `better-sqlite3`, `readwire:store`, `node:http`, `(native) writev`, … for a call frame. */
function packageOf(url: string, functionName: string): string {
  const nm = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return nm[1]!;
  const rw = /\/packages\/([^/]+)\/src\/([^/]+)\//.exec(url);
  if (rw) return `readwire ${rw[1]}/${rw[2]}`;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').replace(/\/.*$/, '');
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  return url;
}

/** The `.cpuprofile` files in `dir`. */
export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
}
