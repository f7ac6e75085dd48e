// Overload benchmark: does the read callback stay near real time when REST runs flat out? Closed-loop keep-alive
// clients call `admin_set_msg_read` (rate limit off) as fast as the server answers, for --seconds, while a healthy
// receiver in its own process answers every `C2C.CallbackAfterMsgReport`. Measured per side: REST/s, callbacks/s,
// the backlog (acknowledged reports whose callback has not arrived) at the end of the load, in events and in seconds
// of callback throughput, the delay from commit (`EventTime`) to arrival (p50/p99), and the drain time after the load.
// Sides, in one run: `fair` (default settings: delivery admission on), `unfair` (the same with `admissionBacklog: 0`,
// the baseline for what fairness costs in REST throughput) and `bare` (a bare node:http server that answers and
// forwards each report to the receiver through undici: the same two HTTP hops without store or outbox).
// Servers and the receiver run in child processes; the load generator runs here. Loopback only.
//
// Usage: npm run bench -- overload [--seconds 30] [--connections 40] [--rounds 1] [--only fair,unfair,bare]
//          [--admission-backlog N] [--drain-wait 180] [--synchronous FULL|NORMAL] [--quick]
// `--synchronous NORMAL` (no fsync per commit) makes the server CPU-bound where a slow or busy disk would otherwise
// limit it first: the regime in which REST can take the event loop from delivery.
import { genUserSig } from '@readwire/sdk';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSnapshot, otherCores, ReportLoad, startChild, type Child } from './dispatch-harness.ts';
import { importAccounts } from './import-accounts.ts';

const { values: opt } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '1' },
    only: { type: 'string', default: 'fair,unfair,bare' },
    'admission-backlog': { type: 'string' },
    'drain-wait': { type: 'string', default: '180' },
    reporters: { type: 'string', default: '2000' },
    synchronous: { type: 'string', default: 'FULL' },
    quick: { type: 'boolean', default: false },
  },
});
const SECONDS = opt.quick ? 5 : Number(opt.seconds);
const CONNECTIONS = Number(opt.connections);
const SDKAPPID = 1400000001;
const SECRET_KEY = 'readwire-overload-bench-key-0123456789';
const reporters = Array.from({ length: Number(opt.reporters) }, (_, i) => `r${i}`);
const dir = mkdtempSync(join(tmpdir(), 'readwire-overload-bench-'));
const sig = await genUserSig({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, userId: 'administrator' });
const query = `sdkappid=${SDKAPPID}&identifier=administrator&usersig=${encodeURIComponent(sig)}&random=1&contenttype=json`;
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

type SideName = 'fair' | 'unfair' | 'bare';
interface ReceiverStats {
  received: number;
  distinct: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function receiverStats(receiver: Child, since = 0): Promise<ReceiverStats> {
  const res = await fetch(`${new URL(receiver.url).origin}/stats?since=${since}`);
  return (await res.json()) as ReceiverStats;
}

function startServer(side: SideName, n: number, callbackUrl: string): Promise<Child> {
  if (side === 'bare') return startChild('./dispatch-baseline-main.ts', { BASELINE_RECEIVER_URL: callbackUrl });
  const dispatcher: Record<string, unknown> = {};
  if (side === 'unfair') dispatcher.admissionBacklog = 0;
  else if (opt['admission-backlog'] !== undefined) dispatcher.admissionBacklog = Number(opt['admission-backlog']);
  const config = {
    port: 0,
    logLevel: 'warn',
    allowPrivateCallbackUrls: true,
    storage: { sqlite: { path: join(dir, `${side}-${n}.db`), synchronous: opt.synchronous } },
    dispatcher,
    apps: [{ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, restRateLimit: 0, callback: { url: callbackUrl } }],
  };
  return startChild('./lib/server-main.ts', { READWIRE_BENCH_CONFIG: JSON.stringify(config) });
}

/** Writes that waited for delivery admission so far, and their total wait, from the server's /metrics. */
async function admissionFigures(url: string): Promise<{ writes: number; seconds: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    writes: value('readwire_callback_admission_waits_total'),
    seconds: value('readwire_callback_admission_wait_seconds_total'),
  };
}

/** Waits until the receiver has every acknowledged report (or `ms`); returns the time it took, or NaN. */
async function drain(receiver: Child, acked: number, ms: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if ((await receiverStats(receiver)).distinct >= acked) return performance.now() - start;
    await sleep(100);
  }
  return Number.NaN;
}

async function runSide(side: SideName, round: number) {
  const receiver = await startChild('./lib/overload-receiver.ts', {});
  const server = await startServer(side, round, receiver.url);
  try {
    if (side !== 'bare') await importAccounts(server.url, query, [...reporters, 'peer']);
    const load = new ReportLoad(server.url, query, reporters, CONNECTIONS);
    await load.closed(CONNECTIONS, opt.quick ? 500 : 2000); // warm-up
    await drain(receiver, load.acked, 60_000);
    const pids = [process.pid, server.pid, receiver.pid];
    const cpu0 = cpuSnapshot(pids);
    const server0 = server.cpuSeconds();
    const startedAt = Date.now();
    const t0 = performance.now();
    const [acked0, distinct0] = [load.acked, (await receiverStats(receiver)).distinct];
    await load.closed(CONNECTIONS, SECONDS * 1000);
    const secs = (performance.now() - t0) / 1000;
    const atEnd = await receiverStats(receiver);
    const cpu1 = cpuSnapshot(pids);
    const acked = load.acked - acked0;
    const delivered = atEnd.distinct - distinct0;
    const backlog = load.acked - atEnd.distinct;
    const paced = side === 'bare' ? undefined : await admissionFigures(server.url);
    const drainMs = await drain(receiver, load.acked, Number(opt['drain-wait']) * 1000);
    const lat = await receiverStats(receiver, startedAt);
    const r = {
      side,
      round,
      restPerS: acked / secs,
      callbacksPerS: delivered / secs,
      backlogAtEnd: backlog,
      backlogSeconds: backlog / Math.max(1, delivered / secs),
      p50Ms: lat.p50Ms,
      p99Ms: lat.p99Ms,
      maxMs: lat.maxMs,
      drainMs,
      failed: load.failed,
      duplicates: lat.received - lat.distinct,
      serverCores: (server.cpuSeconds() - server0) / secs,
      pacedWrites: paced?.writes ?? 0,
      pacedMeanWaitMs: paced && paced.writes > 0 ? (paced.seconds * 1000) / paced.writes : 0,
      otherCores: otherCores(cpu0, cpu1, secs),
    };
    console.log(
      `  ${`${side} #${round}`.padEnd(10)} REST ${fmt(r.restPerS).padStart(5)}/s  callbacks ${fmt(r.callbacksPerS).padStart(5)}/s  ` +
        `backlog at end ${r.backlogAtEnd} (${fmt(r.backlogSeconds, 2)} s)  commit→callback p50 ${fmt(r.p50Ms)} ms ` +
        `p99 ${fmt(r.p99Ms)} ms max ${fmt(r.maxMs)} ms  drain ${fmt(drainMs)} ms  failed ${r.failed}  ` +
        (paced ? `paced writes ${r.pacedWrites} (mean wait ${fmt(r.pacedMeanWaitMs, 1)} ms)  ` : '') +
        `CPU server ${fmt(r.serverCores, 2)} other ${fmt(r.otherCores, 2)}`,
    );
    await load.close();
    return r;
  } finally {
    await server.stop();
    await receiver.stop();
  }
}

try {
  const sides = opt.only.split(',') as SideName[];
  console.log(`overload: ${CONNECTIONS} closed-loop connections of admin_set_msg_read for ${SECONDS} s per side`);
  const all: Awaited<ReturnType<typeof runSide>>[] = [];
  for (let round = 1; round <= Number(opt.rounds); round++) {
    // Odd rounds in the given order, even rounds reversed, so a drift of the machine's speed favours no side.
    for (const side of round % 2 === 1 ? sides : [...sides].reverse()) all.push(await runSide(side, round));
  }
  const of = (s: SideName) => all.filter((r) => r.side === s);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const fair = of('fair');
  const unfair = of('unfair');
  if (fair.length > 0) {
    const ok = fair.every((r) => r.backlogSeconds <= 1 && r.p99Ms <= 1000);
    console.log(
      `targets (fair: backlog at end ≤ 1 s of throughput, commit→callback p99 ≤ 1 s): ${ok ? 'met' : 'NOT met'}`,
    );
  }
  const paced = fair.reduce((n, r) => n + r.pacedWrites, 0);
  if (fair.length > 0) {
    console.log(
      paced > 0
        ? `fairness engaged: ${paced} writes waited for a delivery`
        : 'fairness never engaged (delivery kept up): a REST difference between fair and unfair is noise',
    );
  }
  if (fair.length > 0 && unfair.length > 0) {
    const cost = 1 - mean(fair.map((r) => r.restPerS)) / mean(unfair.map((r) => r.restPerS));
    console.log(`REST throughput cost of fairness: ${fmt(cost * 100, 1)} % (fair vs unfair, same run)`);
  }
  const bare = of('bare');
  if (fair.length > 0 && bare.length > 0) {
    console.log(
      `fair vs bare node:http: REST ${fmt(mean(fair.map((r) => r.restPerS)) / mean(bare.map((r) => r.restPerS)), 2)}, ` +
        `callbacks ${fmt(mean(fair.map((r) => r.callbacksPerS)) / mean(bare.map((r) => r.callbacksPerS)), 2)}`,
    );
  }
  const out = fileURLToPath(new URL('./results/overload.json', import.meta.url));
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, connections: CONNECTIONS, runs: all }, null, 2)}\n`,
  );
  console.log(`results: ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
