// Pieces of bench/dispatch-e2e.ts: child servers, the callback receiver, the REST load generator, percentiles.
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { startChild as startChildServer, type ChildServer } from './lib/child.ts';

/** A server in its own process (`lib/child.ts`), with its resident set size. */
export interface Child extends ChildServer {
  /** Resident set size in MB, from /proc. */
  rssMb(): number;
}

/** Starts `node [nodeArgs] --import tsx <script>` (relative to this folder) and waits for `READY <url>`. */
export async function startChild(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  const child = await startChildServer(new URL(script, import.meta.url), { env, nodeArgs });
  return {
    ...child,
    rssMb() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : Number.NaN;
    },
  };
}

/** The callback receiver: answers OK and records when each report's callback first arrived. */
export class Receiver {
  readonly arrivals = new Map<string, number>();
  received = 0;
  private server: Server | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    const ok = JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const now = performance.now();
        const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          Report_Account: string;
          LastReadTime: number;
        };
        const key = `${b.Report_Account}:${b.LastReadTime}`;
        if (!this.arrivals.has(key)) this.arrivals.set(key, now);
        this.received++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(ok);
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    this.server = undefined;
  }
}

/** Issues `admin_set_msg_read` for many reporters; each report's (reporter, MsgReadTime) is unique. */
export class ReportLoad {
  readonly acks = new Map<string, number>();
  acked = 0;
  failed = 0;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly reporters: string[];
  private readonly seq: number[];
  private next = 0;
  private readonly busy = new Set<number>();
  inFlight = 0;

  constructor(origin: string, query: string, reporters: string[], connections: number) {
    this.pool = new Pool(origin, { connections, keepAliveTimeout: 60_000 });
    this.path = `/v4/openim/admin_set_msg_read?${query}`;
    this.reporters = reporters;
    this.seq = reporters.map(() => 1_000_000);
  }

  /**
   * Sends one report for the next reporter without one in flight (two concurrent reports of one reporter could
   * commit in either order, and the later one's `LastReadTime` would then be the earlier one's); resolves when
   * answered.
   */
  async one(): Promise<void> {
    let i = this.next++ % this.reporters.length;
    while (this.busy.has(i)) i = this.next++ % this.reporters.length;
    this.busy.add(i);
    const reporter = this.reporters[i]!;
    const readTime = ++this.seq[i]!;
    const body = JSON.stringify({ Report_Account: reporter, Peer_Account: 'peer', MsgReadTime: readTime });
    this.inFlight++;
    try {
      const res = await this.pool.request({ path: this.path, method: 'POST', body });
      const text = await res.body.text();
      if (res.statusCode === 200 && text.includes('"ErrorCode":0')) {
        this.acks.set(`${reporter}:${readTime}`, performance.now());
        this.acked++;
      } else {
        this.failed++;
      }
    } catch {
      this.failed++;
    } finally {
      this.inFlight--;
      this.busy.delete(i);
    }
  }

  /** Closed loop: `concurrency` requests always in flight, for `ms` (or until `count` were sent). */
  async closed(concurrency: number, ms: number, count = Number.POSITIVE_INFINITY): Promise<void> {
    const end = performance.now() + ms;
    let sent = 0;
    const worker = async () => {
      while (performance.now() < end && sent < count) {
        sent++;
        await this.one();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Open loop: `rate` requests per second for `ms`, at most `maxInFlight` outstanding. */
  async open(rate: number, ms: number, maxInFlight = 1024): Promise<{ skipped: number }> {
    const start = performance.now();
    let issued = 0;
    let skipped = 0;
    const pending = new Set<Promise<void>>();
    while (performance.now() - start < ms) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (issued < due) {
        issued++;
        if (this.inFlight >= maxInFlight) {
          skipped++;
          continue;
        }
        const p = this.one();
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      await sleep(1);
    }
    await Promise.all(pending);
    return { skipped };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

const CLK_TCK = 100;

/** CPU seconds used so far by the machine (busy) and by `pids` (utime + stime), from /proc. */
export function cpuSnapshot(pids: number[]): { busy: number; own: number; main: number } {
  const v = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = (v.slice(0, 8).reduce((a, b) => a + b, 0) - (v[3] ?? 0) - (v[4] ?? 0)) / CLK_TCK;
  let own = 0;
  let main = 0;
  for (const pid of pids) {
    own += statCpu(`/proc/${pid}/stat`);
    main += statCpu(`/proc/${pid}/task/${pid}/stat`);
  }
  return { busy, own, main };
}

/** User + system CPU seconds in a `/proc/.../stat` file (0 when the process is gone). */
function statCpu(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Cores used by other processes between two snapshots `seconds` apart. */
export function otherCores(
  a: { busy: number; own: number },
  b: { busy: number; own: number },
  seconds: number,
): number {
  return Math.max(0, b.busy - a.busy - (b.own - a.own)) / seconds;
}

/** Median time (ms) of 4 KiB write + fsync on this disk: other processes' I/O shows up here, not as CPU. */
export function fsyncProbeMs(dir: string): number {
  const file = `${dir}/fsync-probe.bin`;
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(4096, 1);
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    writeSync(fd, buf, 0, buf.length, (i % 8) * buf.length);
    fsyncSync(fd);
    times.push(performance.now() - t);
  }
  closeSync(fd);
  rmSync(file);
  return quantile(times, 0.5);
}

/**
 * Waits (up to `maxSeconds`) until other processes use less than `maxCores` over one second and an fsync takes less
 * than `maxFsyncMs`; returns what was measured last.
 */
export async function waitForQuiet(
  pids: number[],
  dir: string,
  limits: { maxCores: number; maxFsyncMs: number; maxSeconds: number },
): Promise<{ otherCores: number; fsyncMs: number }> {
  const end = performance.now() + limits.maxSeconds * 1000;
  for (;;) {
    const a = cpuSnapshot(pids);
    await sleep(1000);
    const used = otherCores(a, cpuSnapshot(pids), 1);
    const fsyncMs = fsyncProbeMs(dir);
    const quiet = used < limits.maxCores && fsyncMs < limits.maxFsyncMs;
    if (quiet || performance.now() > end) return { otherCores: used, fsyncMs };
  }
}

/** The `q` quantile (0–1) of `values`. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Latencies (ms) from REST answer to callback arrival of the reports acked in [from, to). */
export function latencies(load: ReportLoad, receiver: Receiver, from: number, to: number): number[] {
  const out: number[] = [];
  for (const [key, ackAt] of load.acks) {
    if (ackAt < from || ackAt >= to) continue;
    const arrived = receiver.arrivals.get(key);
    if (arrived !== undefined) out.push(Math.max(0, arrived - ackAt));
  }
  return out;
}

/** Waits until every acked report's callback arrived (or `timeoutMs`); returns whether it did. */
export async function drained(load: ReportLoad, receiver: Receiver, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (receiver.arrivals.size >= load.acked) return true;
    await sleep(20);
  }
  return false;
}
