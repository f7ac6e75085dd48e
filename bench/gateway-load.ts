// Client gateway load: 5,000 idle logged-in WebSocket connections plus active sender/reader pairs, against the real
// Readwire server and, as a baseline, a bare `ws` echo server. Measures
//   - message delivery latency (A sends → B's `message` event) and markRead → peer receipt latency (B marks read →
//     A's `peerRead` event), p50/p99, through @readwire/client;
//   - the echo round trip on the bare server (same client → server → client path, no storage);
//   - server memory per idle connection: RSS and JS heap (+ external buffers) after full GCs, measured inside the
//     server process before and after opening the idle connections.
// Server and load generator run in separate processes (2-core machine); loopback only; every phase is bounded.
//
//   npx tsx bench/gateway-load.ts      defaults: GATEWAY_BENCH_IDLE=5000 GATEWAY_BENCH_PAIRS=50 GATEWAY_BENCH_MESSAGES=100
//                                      GATEWAY_BENCH_SYNCHRONOUS=FULL (SQLite durability: FULL, the default, or NORMAL)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const IDLE = Number(process.env.GATEWAY_BENCH_IDLE ?? 5000);
const PAIRS = Number(process.env.GATEWAY_BENCH_PAIRS ?? 50);
const MESSAGES = Number(process.env.GATEWAY_BENCH_MESSAGES ?? 100);
const INTERVAL_MS = 100;
const WARMUP = 5;
const WARM_CONNECTIONS = 200;
const APP = 1400000042;
const SECRET = randomBytes(32).toString('hex');
const TIME_LIMIT_MS = 10 * 60_000;
const SYNCHRONOUS = process.env.GATEWAY_BENCH_SYNCHRONOUS ?? 'FULL';

const children: ChildProcess[] = [];
const deadline = setTimeout(() => {
  console.error(`gateway-load: over the ${TIME_LIMIT_MS / 60_000}-minute limit, stopping`);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
}, TIME_LIMIT_MS);

/** The file-descriptor limit children get: enough for every connection, if the hard limit allows. */
function fdLimit(): number {
  const sh = (cmd: string) => Number(execFileSync('sh', ['-c', cmd]).toString().trim()) || 0;
  const soft = sh('ulimit -n');
  const hardText = execFileSync('sh', ['-c', 'ulimit -Hn']).toString().trim();
  const hard = hardText === 'unlimited' ? Infinity : Number(hardText);
  const wanted = Math.max(soft, IDLE + 2 * PAIRS + WARM_CONNECTIONS + 1024);
  if (wanted > hard) console.warn(`gateway-load: fd hard limit ${hard} is below the ${wanted} wanted; expect EMFILE`);
  return Math.min(wanted, hard);
}
const FDS = fdLimit();

/** Machine-wide busy and total CPU seconds (from /proc/stat; NaN elsewhere). */
function machineCpu(): { busy: number; total: number } {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - (v[3] ?? 0) - (v[4] ?? 0)) / 100, total: total / 100 };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** Busy cores between two samples. */
const busyCores = (a: { busy: number; total: number }, b: { busy: number; total: number }) =>
  Number(((b.busy - a.busy) / ((b.total - a.total) / cpus().length)).toFixed(2));

/** Waits (at most `maxMs`) for the machine to be nearly idle, so other processes do not skew the latencies. */
async function waitForQuiet(maxMs: number): Promise<number> {
  const until = Date.now() + maxMs;
  for (;;) {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = busyCores(a, machineCpu());
    if (!(busy > 0.3) || Date.now() > until) return busy;
  }
}

interface Child {
  send(message: Record<string, unknown>): void;
  next(type: string): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

/** Starts a bench child through `sh` (to raise its fd limit) with an IPC channel. */
function startChild(file: string, env: Record<string, string>): Child {
  const script = fileURLToPath(new URL(file, import.meta.url));
  const child = spawn(
    'sh',
    ['-c', `ulimit -n ${FDS} 2>/dev/null; exec "$0" --import tsx "$1"`, process.execPath, script],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    },
  );
  children.push(child);
  const inbox: Record<string, any>[] = [];
  const waiting: { type: string; resolve: (m: Record<string, any>) => void }[] = [];
  child.on('message', (m: Record<string, any>) => {
    const i = waiting.findIndex((w) => w.type === m.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
    else inbox.push(m);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) {
      console.error(`gateway-load: ${file} exited with ${code}`);
      process.exit(1);
    }
  });
  return {
    send: (m) => child.send(m),
    next(type) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]!);
      return new Promise((resolve) => waiting.push({ type, resolve }));
    },
    /** Waits up to 15 s for the child to exit by itself (after `stop`/`exit`), then SIGTERM, then SIGKILL. */
    async stop() {
      const term = setTimeout(() => child.kill('SIGTERM'), 15_000);
      const kill = setTimeout(() => child.kill('SIGKILL'), 25_000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    },
  };
}

/** Nearest-rank percentile of latencies in ms. */
function pct(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

const latency = (v: number[]) => ({ samples: v.length, p50Ms: pct(v, 0.5), p99Ms: pct(v, 0.99), maxMs: pct(v, 1) });

type Latency = ReturnType<typeof latency>;

/** One server's figures. */
interface RunResult {
  mode: 'echo' | 'readwire';
  idleConnections: number;
  connectSeconds: number;
  perConnection: { rssKB: number; heapPlusExternalKB: number };
  machineBusyCores: { beforeActivePhase: number; duringActivePhase: number };
  serverMemoryMB: Record<string, number>;
  echoRoundTrip?: Latency;
  delivery?: Latency;
  readReceipt?: Latency;
}

async function run(mode: 'echo' | 'readwire'): Promise<RunResult> {
  const server = startChild('gateway-server.ts', {
    GATEWAY_BENCH_MODE: mode,
    GATEWAY_BENCH_APP: String(APP),
    GATEWAY_BENCH_SECRET: SECRET,
    GATEWAY_BENCH_GATEWAY: JSON.stringify({ requestsPerSecond: 100 }),
  });
  const { url } = await server.next('ready');
  const clients = startChild('gateway-clients.ts', {});
  await clients.next('started');
  const setup = { url, mode, app: APP, secret: SECRET };
  const measure = async () => {
    server.send({ type: 'measure' });
    return (await server.next('memory')).memory as NodeJS.MemoryUsage;
  };

  // The idle users exist already (their first login would otherwise add account rows and SQLite cache pages);
  // warm up (JIT, one-time allocations); then measure without and with the idle connections.
  clients.send({ type: 'import', setup, count: IDLE });
  await clients.next('imported');
  clients.send({ type: 'idle', setup, count: WARM_CONNECTIONS, concurrency: 50 });
  await clients.next('idle-done');
  clients.send({ type: 'close-idle', setup });
  await clients.next('closed');
  await new Promise((r) => setTimeout(r, 500));
  const before = await measure();
  clients.send({ type: 'idle', setup, count: IDLE, concurrency: 100 });
  const { ms: connectMs } = await clients.next('idle-done');
  const after = await measure();

  const quiet = await waitForQuiet(120_000);
  const cpu0 = machineCpu();
  clients.send({ type: 'active', setup, pairs: PAIRS, messages: MESSAGES, intervalMs: INTERVAL_MS, warmup: WARMUP });
  const active = await clients.next('active-done');
  const machineBusyCores = { beforeActivePhase: quiet, duringActivePhase: busyCores(cpu0, machineCpu()) };
  clients.send({ type: 'exit' });
  server.send({ type: 'stop' });
  await Promise.all([clients.stop(), server.stop()]);

  const heap = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
  return {
    mode,
    idleConnections: IDLE,
    connectSeconds: Number((connectMs / 1000).toFixed(2)),
    perConnection: {
      rssKB: Number(((after.rss - before.rss) / IDLE / 1024).toFixed(2)),
      heapPlusExternalKB: Number(((heap(after) - heap(before)) / IDLE / 1024).toFixed(2)),
    },
    machineBusyCores,
    serverMemoryMB: {
      rssBefore: mb(before.rss),
      rssAfter: mb(after.rss),
      heapBefore: mb(heap(before)),
      heapAfter: mb(heap(after)),
    },
    ...(mode === 'echo'
      ? { echoRoundTrip: latency(active.rtt as number[]) }
      : { delivery: latency(active.delivery as number[]), readReceipt: latency(active.receipt as number[]) }),
  };
}

const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));

console.log(
  `gateway-load: ${IDLE} idle connections + ${PAIRS} active pairs × ${MESSAGES} messages every ${INTERVAL_MS} ms, ` +
    `SQLite synchronous=${SYNCHRONOUS} (fd limit ${FDS})`,
);
const echo = await run('echo');
console.log('baseline (bare ws echo):', JSON.stringify(echo, null, 2));
const readwire = await run('readwire');
console.log('readwire:', JSON.stringify(readwire, null, 2));

const row = (label: string, l?: { p50Ms: number; p99Ms: number; samples: number }) =>
  l
    ? `${label.padEnd(34)} p50 ${l.p50Ms.toFixed(2).padStart(7)} ms   p99 ${l.p99Ms.toFixed(2).padStart(7)} ms   (n=${l.samples})`
    : '';
console.log(
  [
    '',
    `idle connections: ${IDLE}; memory per idle connection (server process, after GC):`,
    `  bare ws echo:  RSS ${echo.perConnection.rssKB} KB, heap+external ${echo.perConnection.heapPlusExternalKB} KB`,
    `  readwire:      RSS ${readwire.perConnection.rssKB} KB, heap+external ${readwire.perConnection.heapPlusExternalKB} KB (target ≤ 20 KB)`,
    row('bare ws echo round trip', echo.echoRoundTrip),
    row('readwire message delivery', readwire.delivery),
    row('readwire markRead → peer receipt', readwire.readReceipt),
  ].join('\n'),
);
mkdirSync(fileURLToPath(new URL('results/', import.meta.url)), { recursive: true });
writeFileSync(
  fileURLToPath(
    new URL(
      `results/gateway-load${SYNCHRONOUS === 'FULL' ? '' : `-${SYNCHRONOUS.toLowerCase()}`}.json`,
      import.meta.url,
    ),
  ),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, synchronous: SYNCHRONOUS, pairs: PAIRS, messages: MESSAGES, intervalMs: INTERVAL_MS, echo, readwire }, null, 2)}\n`,
);
clearTimeout(deadline);
