// PostgreSQL deployments next to the SQLite node, in one run: `admin_set_msg_read` with callbacks on (closed loop,
// keep-alive clients, rate limit off) and the latency from the REST answer to the callback's arrival at a fixed rate
// (open loop, default 1,000 reports/s), for three deployments:
//   sqlite — one node on its SQLite file (synchronous FULL), the baseline;
//   pg1    — one node on PostgreSQL;
//   pg2    — two nodes on the same PostgreSQL schema, the load split evenly between them.
// Reported per deployment: reports/s (closed loop), Readwire CPU per request (all nodes, µs; and the part on their main
// threads), PostgreSQL backend CPU per request (the backends of the bench's own database, µs), PostgreSQL transactions
// per request (`pg_stat_database.xact_commit` of the bench's own database), and at the fixed rate the callback latency
// p50/p99 and the Readwire CPU per request again (at a rate below capacity, writes share fewer transactions).
// Each deployment is warmed up under full load (--warmup seconds) before it is measured: in the first seconds V8 is
// still compiling the hot paths on its helper threads, which costs every node process the same, so a short warm-up
// charges two nodes twice what it charges one (the main-thread part of the CPU is reported apart for that reason).
// Deployments run in --rounds interleaved rounds (sqlite, pg1, pg2, sqlite, …); quoted ratios are medians of rounds.
// PostgreSQL runs on the same machine (2 cores shared by the database, the nodes, this load generator and the
// receiver). Each run uses a database of its own (created and dropped), so other users of the instance do not show
// in its counters.
//
// Usage: npx tsx bench/pg-cluster.ts [--seconds 8] [--warmup 10] [--rounds 2] [--connections 64] [--rate 1000] [--reporters 2000]
//          [--only sqlite,pg1,pg2] [--pool 10] [--quick] [--cpu-prof DIR] [--node-args '--log-deopt …'] [--node-cpu 0.25]
//          (READWIRE_BENCH_PG_URL: the instance, default local)
// --node-cpu CORES gives each node a CPU budget of its own (a cgroup quota; Linux, root), as separate machines would:
// the question it answers is whether nodes add throughput when cores are not shared, i.e. whether the database and the
// coordination between nodes scale; without it, the nodes compete for the machine's cores with everything else.
import { genUserSig } from '@readwire/sdk';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuSnapshot, latencies, quantile, Receiver, ReportLoad, startChild, type Child } from './dispatch-harness.ts';
import { processCpuSeconds } from './lib/child.ts';
import { capCpu } from './lib/cpu-cap.ts';
import { median } from './lib/stats.ts';
import { importAccounts } from './import-accounts.ts';

const { values: opt } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    rate: { type: 'string', default: '1000' },
    reporters: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'sqlite,pg1,pg2' },
    pool: { type: 'string', default: '10' },
    quick: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'node-args': { type: 'string' },
    'node-cpu': { type: 'string' },
  },
});
/** `--cpu-prof DIR`: each node writes a V8 CPU profile into DIR when it stops; `--node-args '…'`: more flags for node. */
const profArgs = [
  ...(opt['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${opt['cpu-prof']}`] : []),
  ...(opt['node-args']?.split(' ').filter(Boolean) ?? []),
];
const SECONDS = opt.quick ? 3 : Number(opt.seconds);
const ROUNDS = opt.quick ? 1 : Number(opt.rounds);
const WARMUP_MS = (opt.quick ? 1.5 : Number(opt.warmup)) * 1000;
const CONNECTIONS = Number(opt.connections);
const RATE = Number(opt.rate);
const SDKAPPID = 1400000001;
const SECRET_KEY = 'readwire-pg-cluster-bench-key-0123456789';
const PG_URL = process.env.READWIRE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const reporters = Array.from({ length: Number(opt.reporters) }, (_, i) => `r${i}`);
const dir = mkdtempSync(join(tmpdir(), 'readwire-pg-cluster-bench-'));
const sig = await genUserSig({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, userId: 'administrator' });
const query = `sdkappid=${SDKAPPID}&identifier=administrator&usersig=${encodeURIComponent(sig)}&random=1&contenttype=json`;
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

type Kind = 'sqlite' | 'pg1' | 'pg2';

/** The URL of `database` on the bench's instance. */
function urlOf(database: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Committed transactions and backend CPU seconds of one database so far. */
async function pgCounters(database: string): Promise<{ xacts: number; cpu: number }> {
  const [row] = await admin<{ xact_commit: string }>('SELECT xact_commit FROM pg_stat_database WHERE datname = $1', [
    database,
  ]);
  const pids = await admin<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  let cpu = 0;
  for (const { pid } of pids) {
    const s = processCpuSeconds(pid);
    if (Number.isFinite(s)) cpu += s;
  }
  return { xacts: Number(row?.xact_commit ?? 0), cpu };
}

function config(kind: Kind, database: string, callbackUrl: string, run: number): string {
  const storage =
    kind === 'sqlite'
      ? { sqlite: { path: join(dir, `sqlite-${run}.db`), synchronous: 'FULL' } }
      : { postgres: { url: urlOf(database), schema: 'readwire', poolSize: Number(opt.pool) } };
  return JSON.stringify({
    port: 0,
    logLevel: 'warn',
    allowPrivateCallbackUrls: true,
    storage,
    apps: [{ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, restRateLimit: 0, callback: { url: callbackUrl } }],
  });
}

interface RunResult {
  kind: Kind;
  round: number;
  reportsPerSecond: number;
  failed: number;
  readwireCpuUsPerRequest: number;
  /** The part of it on the nodes' main (JavaScript) threads; the rest is V8's helper threads (GC, JIT) and libuv's. */
  mainThreadCpuUsPerRequest: number;
  pgBackendCpuUsPerRequest: number | undefined;
  pgXactsPerRequest: number | undefined;
  callbacksArrived: number;
  lowRate: {
    rate: number;
    acked: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    failed: number;
    /** Readwire CPU per request at this rate (all nodes) and the part on their main threads, µs. */
    cpuUsPerRequest: number;
    mainThreadCpuUsPerRequest: number;
  };
  machineBusyCores: number;
}

async function runOne(kind: Kind, round: number): Promise<RunResult> {
  const database = `readwire_bench_${process.pid}_${round}_${kind}`;
  if (kind !== 'sqlite') await admin(`CREATE DATABASE ${database}`);
  const began = performance.now();
  const receiver = new Receiver();
  await receiver.start();
  const nodes: Child[] = [];
  const uncap: (() => void)[] = [];
  const loads: ReportLoad[] = [];
  try {
    const count = kind === 'pg2' ? 2 : 1;
    const cfg = config(kind, database, receiver.url, round);
    nodes.push(await startChild('./lib/server-main.ts', { READWIRE_BENCH_CONFIG: cfg }, profArgs));
    for (let i = 1; i < count; i++)
      nodes.push(await startChild('./lib/server-main.ts', { READWIRE_BENCH_CONFIG: cfg }, profArgs));
    if (opt['node-cpu'])
      for (const [i, n] of nodes.entries())
        uncap.push(capCpu(n.pid, Number(opt['node-cpu']), `readwire-bench-${process.pid}-${round}-${kind}-${i}`));
    await importAccounts(nodes[0]!.url, query, [...reporters, 'peer']);
    // Each node's clients report for their own reporters (a reporter never has two reports in flight).
    const share = Math.ceil(reporters.length / count);
    for (let i = 0; i < count; i++) {
      const mine = reporters.slice(i * share, (i + 1) * share);
      loads.push(new ReportLoad(nodes[i]!.url, query, mine, Math.ceil(CONNECTIONS / count)));
    }
    const say = (what: string) =>
      process.stderr.write(
        `[${kind} ${((performance.now() - began) / 1000).toFixed(1)} s] ${what} (acked ${loads.reduce((a, l) => a + l.acked, 0)}, failed ${loads.reduce((a, l) => a + l.failed, 0)})\n`,
      );
    say('started');
    // Warm-up.
    await Promise.all(loads.map((l) => l.closed(Math.ceil(CONNECTIONS / count), WARMUP_MS)));
    say('warmed up');
    const pids = nodes.map((n) => n.pid);
    const acked0 = loads.reduce((a, l) => a + l.acked, 0);
    const failed0 = loads.reduce((a, l) => a + l.failed, 0);
    const cpu0 = cpuSnapshot(pids);
    const pg0 = kind === 'sqlite' ? undefined : await pgCounters(database);
    const t0 = performance.now();
    await Promise.all(loads.map((l) => l.closed(Math.ceil(CONNECTIONS / count), SECONDS * 1000)));
    const secs = (performance.now() - t0) / 1000;
    const cpu1 = cpuSnapshot(pids);
    const pg1 = kind === 'sqlite' ? undefined : await pgCounters(database);
    const acked = loads.reduce((a, l) => a + l.acked, 0) - acked0;
    const failed = loads.reduce((a, l) => a + l.failed, 0) - failed0;
    say('closed loop done');
    // Open loop at RATE in total.
    const from = performance.now();
    const openFailed0 = loads.reduce((a, l) => a + l.failed, 0);
    const openAcked0 = loads.reduce((a, l) => a + l.acked, 0);
    const openCpu0 = cpuSnapshot(pids);
    // At most half of a load's reporters in flight: `one()` looks for a reporter without a report in flight.
    await Promise.all(loads.map((l) => l.open(RATE / count, SECONDS * 1000, Math.max(1, Math.floor(share / 2)))));
    const to = performance.now();
    const openCpu1 = cpuSnapshot(pids);
    const openAcked = loads.reduce((a, l) => a + l.acked, 0) - openAcked0;
    const end = performance.now() + 15_000;
    const wanted = loads.reduce((a, l) => a + l.acked, 0);
    while (receiver.arrivals.size < wanted && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
    say('open loop done');
    const lat = loads.flatMap((l) => latencies(l, receiver, from, to));
    return {
      kind,
      round,
      reportsPerSecond: acked / secs,
      failed,
      readwireCpuUsPerRequest: ((cpu1.own - cpu0.own) / acked) * 1e6,
      mainThreadCpuUsPerRequest: ((cpu1.main - cpu0.main) / acked) * 1e6,
      pgBackendCpuUsPerRequest: pg0 && pg1 ? ((pg1.cpu - pg0.cpu) / acked) * 1e6 : undefined,
      pgXactsPerRequest: pg0 && pg1 ? (pg1.xacts - pg0.xacts) / acked : undefined,
      callbacksArrived: receiver.arrivals.size,
      lowRate: {
        rate: RATE,
        acked: openAcked,
        p50Ms: quantile(lat, 0.5),
        p99Ms: quantile(lat, 0.99),
        maxMs: quantile(lat, 1),
        failed: loads.reduce((a, l) => a + l.failed, 0) - openFailed0,
        cpuUsPerRequest: ((openCpu1.own - openCpu0.own) / openAcked) * 1e6,
        mainThreadCpuUsPerRequest: ((openCpu1.main - openCpu0.main) / openAcked) * 1e6,
      },
      machineBusyCores: (cpu1.busy - cpu0.busy) / secs,
    };
  } finally {
    await Promise.all(loads.map((l) => l.close()));
    await Promise.all(nodes.map((n) => n.stop()));
    for (const release of uncap) release();
    await receiver.stop();
    if (kind !== 'sqlite') await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

const kinds = opt.only.split(',') as Kind[];
const runs: RunResult[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const kind of kinds) {
    const r = await runOne(kind, round);
    runs.push(r);
    console.log(
      `round ${round} ${kind.padEnd(6)} ${fmt(r.reportsPerSecond)} reports/s (failed ${r.failed}), ` +
        `Readwire CPU ${fmt(r.readwireCpuUsPerRequest)} µs/req (main thread ${fmt(r.mainThreadCpuUsPerRequest)}), PG backends ${fmt(r.pgBackendCpuUsPerRequest ?? NaN)} µs/req, ` +
        `PG xacts ${fmt(r.pgXactsPerRequest ?? NaN, 2)}/req, machine ${fmt(r.machineBusyCores, 2)} cores busy; ` +
        `at ${RATE}/s: p50 ${fmt(r.lowRate.p50Ms, 1)} ms, p99 ${fmt(r.lowRate.p99Ms, 1)} ms, max ${fmt(r.lowRate.maxMs, 1)} ms ` +
        `(${r.lowRate.acked} acked, ${r.lowRate.failed} failed; Readwire CPU ${fmt(r.lowRate.cpuUsPerRequest)} µs/req, ` +
        `main thread ${fmt(r.lowRate.mainThreadCpuUsPerRequest)})`,
    );
  }
}
const byRound = (kind: Kind) => runs.filter((r) => r.kind === kind);
const ratio = (a: Kind, b: Kind) => {
  const rs = byRound(a).map((r, i) => r.reportsPerSecond / (byRound(b)[i]?.reportsPerSecond ?? NaN));
  return { median: median(rs), rounds: rs };
};
const summary = {
  pg1OverSqlite: kinds.includes('pg1') && kinds.includes('sqlite') ? ratio('pg1', 'sqlite') : undefined,
  pg2OverPg1: kinds.includes('pg2') && kinds.includes('pg1') ? ratio('pg2', 'pg1') : undefined,
};
console.log(JSON.stringify(summary));
const loadavg = readFileSync('/proc/loadavg', 'utf8').trim();
const out = join(fileURLToPath(new URL('.', import.meta.url)), 'results', 'pg-cluster.json');
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ at: new Date().toISOString(), loadavgAtEnd: loadavg, options: opt, runs, summary }, null, 2)}\n`,
);
rmSync(dir, { recursive: true, force: true });
console.log(`written to ${out}`);
