/**
 * Several real `readwire serve --config FILE` processes on one PostgreSQL schema (one deployment), with REST and SQL
 * helpers. Each node is a child process on its own port; the schema is dropped when the cluster closes.
 * @module
 */
import { genUserSig } from '@readwire/sdk';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { spawnCli, type CliProcess, STARTED } from '../../helpers/spawn-cli.ts';
import { dropSchema, PG_URL, randomSchema } from './pg.ts';

export const APP = 1400000777;
export const KEY = 'cluster-test-secret-key-0123456789abcdef';

/** A Tencent REST answer. */
export type Reply = { ActionStatus: string; ErrorCode: number; ErrorInfo: string } & Record<string, any>;

/** One running node. */
export interface ClusterNode {
  index: number;
  url: string;
  wsUrl: string;
  proc: CliProcess;
  /** False once the node exited (killed or stopped). */
  alive: boolean;
  /** The test stopped or killed it. */
  stopping?: boolean;
}

/** Settings of a test deployment. */
export interface ClusterOptions {
  nodes: number;
  /** The app's callback settings (omitted: no callbacks). */
  callback?: Record<string, unknown> | undefined;
  dispatcher?: Record<string, unknown> | undefined;
  restRateLimit?: number | undefined;
  poolSize?: number | undefined;
  schema?: string | undefined;
  /** The database (default: the shared test instance). */
  url?: string | undefined;
}

/** A running deployment. */
export interface Cluster {
  schema: string;
  nodes: ClusterNode[];
  /** POSTs `/v4/{path}` to node `i` as the admin; a network failure rejects. */
  call(i: number, path: string, body: unknown): Promise<Reply>;
  /** Imports accounts (through node 0). */
  accounts(ids: string[]): Promise<void>;
  /** A UserSig for `userId`. */
  sig(userId: string): Promise<string>;
  /** Runs SQL in the deployment's schema. */
  sql<T extends pg.QueryResultRow = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Starts one more node; returns it. */
  addNode(): Promise<ClusterNode>;
  /** Sends `signal` to node `i` and waits for it to exit. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Stops every node (SIGTERM) and drops the schema. */
  close(): Promise<void>;
}

/** Starts `options.nodes` nodes on a fresh schema: the first alone (it creates the schema), the others together. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const schema = options.schema ?? randomSchema('rw_nodes');
  const dir = mkdtempSync(join(tmpdir(), 'readwire-cluster-'));
  const configPath = join(dir, 'readwire.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      port: 0,
      logLevel: 'warn',
      allowPrivateCallbackUrls: true,
      storage: { postgres: { url: options.url ?? PG_URL, schema, poolSize: options.poolSize ?? 4 } },
      dispatcher: {
        pollIntervalMs: 200,
        breakerOpenMs: 200,
        breakerMaxOpenMs: 1000,
        stopGraceMs: 1000,
        ...options.dispatcher,
      },
      apps: [
        {
          sdkAppId: APP,
          secretKey: KEY,
          restRateLimit: options.restRateLimit ?? 0,
          ...(options.callback ? { callback: options.callback } : {}),
        },
      ],
    }),
  );
  const pool = new pg.Pool({ connectionString: options.url ?? PG_URL, max: 2, options: `-c search_path=${schema}` });
  pool.on('error', () => undefined);
  const nodes: ClusterNode[] = [];
  const start = async (): Promise<ClusterNode> => {
    // The JSON `readwire started` line is logged at info.
    const proc = spawnCli(['serve', '--config', configPath, '--log-level', 'info'], dir);
    const node: ClusterNode = { index: nodes.length, url: '', wsUrl: '', proc, alive: true };
    nodes.push(node);
    void proc.exited.then((code) => {
      node.alive = false;
      // A node that died by itself (not stopped or killed by the test) shows why.
      if (!node.stopping) process.stderr.write(`node ${node.index} exited (${code}):\n${proc.output()}\n`);
    });
    const m = await proc.waitFor(STARTED, 30_000);
    node.url = m[1]!;
    node.wsUrl = `${node.url.replace('http', 'ws')}/v1/client`;
    return node;
  };
  await start();
  await Promise.all(Array.from({ length: options.nodes - 1 }, start));
  const adminSig = await genUserSig({ sdkAppId: APP, secretKey: KEY, userId: 'administrator' });
  const call = async (i: number, path: string, body: unknown): Promise<Reply> => {
    const q = `sdkappid=${APP}&identifier=administrator&usersig=${encodeURIComponent(adminSig)}&random=1&contenttype=json`;
    const res = await fetch(`${nodes[i]!.url}/v4/${path}?${q}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as Reply;
  };
  const kill = async (i: number, signal: NodeJS.Signals = 'SIGTERM') => {
    const n = nodes[i]!;
    if (!n.alive) return;
    n.stopping = true;
    n.proc.child.kill(signal);
    await n.proc.exited;
  };
  return {
    schema,
    nodes,
    call,
    async accounts(ids) {
      for (let i = 0; i < ids.length; i += 100) {
        const r = await call(0, 'im_open_login_svc/multiaccount_import', { Accounts: ids.slice(i, i + 100) });
        if (r.ErrorCode !== 0) throw new Error(`account import failed: ${JSON.stringify(r)}`);
      }
    },
    sig: (userId) => genUserSig({ sdkAppId: APP, secretKey: KEY, userId }),
    async sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
      return (await pool.query<T>(text, params)).rows;
    },
    addNode: start,
    kill,
    async close() {
      await Promise.all(nodes.map((_, i) => kill(i)));
      await pool.end();
      if (options.url === undefined) await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Values at the given percentiles (0–100) of `xs`. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}
