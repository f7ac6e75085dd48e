/**
 * Pieces of the reliability suite: Readwire servers in child processes (started from a configuration file, killed
 * with SIGKILL or stopped with SIGTERM), admin REST calls, a read-report load whose acknowledgements are recorded, and
 * the analysis of what a callback receiver got (loss, duplicates, per-key order, delays).
 * @module
 */
import { genUserSig } from '@readwire/sdk';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const SERVER_CHILD = fileURLToPath(new URL('./server-main.mjs', import.meta.url));
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** A Readwire server in its own process. */
export interface ServerProc {
  url: string;
  pid: number;
  /** SIGKILL; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a clean stop); SIGKILL after 20 s. */
  stop(): Promise<void>;
  /** The last lines it printed (for diagnostics). */
  tail: string[];
}

/** Starts `readwire` from the configuration file `configPath` in a child process; resolves once it listens. */
export async function startServerProc(configPath: string, timeoutMs = 60_000): Promise<ServerProc> {
  const child = spawn(process.execPath, [SERVER_CHILD, configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const tail: string[] = [];
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${tail.join('\n')}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^READY (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      } else keep(line);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready: ${tail.join('\n')}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    tail,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** One app of a test configuration. */
export interface AppSpec {
  sdkAppId: number;
  secretKey: string;
  callbackUrl?: string;
  timeoutMs?: number;
}

/** Writes a configuration file for `apps` with its database in `dbDir`; returns its path. */
export function writeConfig(
  dir: string,
  apps: AppSpec[],
  options: { dbDir?: string; dispatcher?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
): string {
  const config = {
    host: '127.0.0.1',
    port: 0,
    logLevel: 'warn',
    allowPrivateCallbackUrls: true,
    storage: { sqlite: { path: join(options.dbDir ?? dir, 'readwire.db') } },
    dispatcher: { pollIntervalMs: 200, stopGraceMs: 2000, ...options.dispatcher },
    apps: apps.map((a) => ({
      sdkAppId: a.sdkAppId,
      secretKey: a.secretKey,
      restRateLimit: 0,
      ...(a.callbackUrl ? { callback: { url: a.callbackUrl, timeoutMs: a.timeoutMs ?? 2000 } } : {}),
    })),
    ...options.extra,
  };
  const path = join(dir, 'readwire.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** The admin query string of an app (`sdkappid`, `identifier`, `usersig`, …). */
export async function adminQuery(app: AppSpec): Promise<string> {
  const sig = await genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, userId: 'administrator' });
  return `sdkappid=${app.sdkAppId}&identifier=administrator&usersig=${encodeURIComponent(sig)}&random=1&contenttype=json`;
}

const pools = new Map<string, Pool>();
/** POSTs `body` to `url` + `path` over a keep-alive pool; answers status and parsed JSON (or throws). */
export async function post(url: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const origin = new URL(url).origin;
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 64, keepAliveTimeout: 30_000 });
    pools.set(origin, pool);
  }
  const res = await pool.request({ path, method: 'POST', body: JSON.stringify(body), headersTimeout: 30_000 });
  const text = await res.body.text();
  return { status: res.statusCode, json: JSON.parse(text) };
}

/** Closes the keep-alive pools (end of a scenario). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.destroy()));
}

/** Imports `ids` into `app` on the server at `url`. */
export async function importAccounts(url: string, query: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const r = await post(url, `/v4/im_open_login_svc/multiaccount_import?${query}`, {
      Accounts: ids.slice(i, i + 100),
    });
    if (r.json.ErrorCode !== 0) throw new Error(`account import failed: ${JSON.stringify(r.json)}`);
  }
}

/** Nearest-rank quantile (0–1) of `values` in ms; NaN when empty. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** Polls `condition` every 50 ms until true or `ms` passed; returns whether it held. */
export async function until(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await condition()) return true;
    await sleep(50);
  }
  return condition();
}

/** Formats a number for a figure line. */
export const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
