// Closed-loop keep-alive HTTP load for the SDK benchmarks: `connections` requests always in flight through an
// undici Pool, bounded in time; only HTTP 200 answers with `"ErrorCode":0` (or octokit's `ok`) count.
import { readFileSync } from 'node:fs';
import { Pool, type Dispatcher } from 'undici';

/** CPU seconds (user + system) used so far by `pid`, from /proc; NaN where /proc is unavailable. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of the whole machine, from /proc/stat; NaN where unavailable. */
function machineBusySeconds(): number {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (v.slice(0, 8).reduce((a, b) => a + b, 0) - (v[3] ?? 0) - (v[4] ?? 0)) / 100;
  } catch {
    return NaN;
  }
}

export interface SdkLoadOptions {
  origin: string;
  /** The request to send now (path with query, headers); body is fixed. */
  request: () => { path: string; headers: Record<string, string> };
  body: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** The server's process id, to measure its CPU time per request. */
  serverPid?: number;
}

export interface SdkLoadResult {
  requests: number;
  errors: number;
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU time per successful request, in microseconds. */
  serverCpuUsPerRequest: number;
  /** CPU cores busy with other work on the machine during the window (noise indicator). */
  otherCores: number;
  firstError?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSdkLoad(o: SdkLoadOptions): Promise<SdkLoadResult> {
  const pool = new Pool(o.origin, { connections: o.connections, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let measuring = false;
  let stopping = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const fire = (): void => {
    inFlight++;
    const started = performance.now();
    let status = 0;
    const chunks: Buffer[] = [];
    const done = (ok: boolean, detail: string) => {
      if (measuring) {
        if (ok) latencies.push(performance.now() - started);
        else if (errors++ === 0) firstError = detail;
      }
      inFlight--;
      if (!stopping) fire();
      else if (inFlight === 0) drained?.();
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: () => undefined,
      onResponseStart: (_c, statusCode) => void (status = statusCode),
      onResponseData: (_c, chunk) => void chunks.push(chunk),
      onResponseEnd: () => {
        const text = Buffer.concat(chunks).toString('utf8');
        done(
          status === 200 && (text.includes('"ErrorCode":0') || text === 'ok\n'),
          `HTTP ${status} ${text.slice(0, 200)}`,
        );
      },
      onResponseError: (_c, error) => done(false, String(error)),
    };
    const { path, headers } = o.request();
    pool.dispatch({ origin: o.origin, path, method: 'POST', headers, body: o.body }, handler);
  };
  for (let i = 0; i < o.connections; i++) fire();
  await sleep(o.warmupMs);
  measuring = true;
  const cpu0 = cpuSeconds(o.serverPid);
  const machine0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(o.durationMs);
  measuring = false;
  const serverCpu = cpuSeconds(o.serverPid) - cpu0;
  const selfCpu = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(self0));
  const machineCpu = machineBusySeconds() - machine0;
  const seconds = (performance.now() - t0) / 1000;
  stopping = true;
  await new Promise<void>((resolve) => {
    drained = resolve;
    if (inFlight === 0) resolve();
  });
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return {
    requests: latencies.length,
    errors,
    throughput: latencies.length / seconds,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    serverCpuUsPerRequest: (serverCpu / latencies.length) * 1e6,
    otherCores: Math.max(0, (machineCpu - serverCpu - selfCpu) / seconds),
    ...(firstError === undefined ? {} : { firstError }),
  };
}
