import { Pool, type Dispatcher } from 'undici';
import { machineCpuSeconds, processCpuSeconds } from './child.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** A closed-loop HTTP load: `connections × pipelining` requests always in flight, for a bounded time. */
export interface LoadOptions {
  /** Server origin, e.g. `http://127.0.0.1:5080`. */
  origin: string;
  /** Path and query of each request (called once per request). */
  path: () => string;
  /** JSON body of each request (called once per request). */
  body: () => string;
  connections: number;
  pipelining: number;
  warmupMs: number;
  durationMs: number;
  /** Process id of the server, to measure its CPU use during the measured window. */
  serverPid?: number;
}

/** What one load run measured (only requests that completed inside the measured window count). */
export interface LoadResult extends LatencySummary {
  requests: number;
  errors: number;
  seconds: number;
  /** Successful requests per second. */
  throughput: number;
  /** CPU cores used during the window by the load generator, the server, and everything else on the machine. */
  cpu: { client: number; server: number; other: number };
  /** Server CPU time per successful request, in microseconds (less sensitive to a busy machine than req/s). */
  serverCpuUsPerRequest: number;
  firstError?: string;
}

const HEADERS = { 'content-type': 'application/json' };

/** Runs one load and reports throughput, latency percentiles and CPU use. A reply counts as an error unless it is
 *  HTTP 200 with `"ErrorCode":0`. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(o.origin, {
    connections: o.connections,
    pipelining: o.pipelining,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
  });
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  let measuring = false;
  let stopping = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const record = (ms: number, ok: boolean, detail?: string) => {
    if (!measuring) return;
    if (!ok) {
      errors++;
      firstError ??= detail;
      return;
    }
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = ms;
  };

  const fire = () => {
    inFlight++;
    const started = performance.now();
    let status = 0;
    const chunks: Buffer[] = [];
    const done = () => {
      inFlight--;
      if (stopping) {
        if (inFlight === 0) drained?.();
      } else {
        fire();
      }
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {},
      onResponseStart(_c, statusCode) {
        status = statusCode;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        const ms = performance.now() - started;
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        const ok = status === 200 && text.includes('"ErrorCode":0');
        record(ms, ok, ok ? undefined : `HTTP ${status}: ${text.slice(0, 300)}`);
        done();
      },
      onResponseError(_c, error) {
        record(performance.now() - started, false, String(error));
        done();
      },
    };
    pool.dispatch({ origin: o.origin, path: o.path(), method: 'POST', headers: HEADERS, body: o.body() }, handler);
  };

  for (let i = 0; i < o.connections * o.pipelining; i++) fire();
  await sleep(o.warmupMs);
  measuring = true;
  const cpu0 = process.cpuUsage();
  const server0 = o.serverPid === undefined ? Number.NaN : processCpuSeconds(o.serverPid);
  const machine0 = machineCpuSeconds();
  const t0 = performance.now();
  await sleep(o.durationMs);
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = process.cpuUsage(cpu0);
  const server1 = o.serverPid === undefined ? Number.NaN : processCpuSeconds(o.serverPid);
  const machine1 = machineCpuSeconds();
  stopping = true;
  await new Promise<void>((resolve) => {
    drained = resolve;
    if (inFlight === 0) resolve();
  });
  await pool.close();

  const client = (cpu1.user + cpu1.system) / 1e6 / seconds;
  const server = (server1 - server0) / seconds;
  const machine = (machine1.busy - machine0.busy) / seconds;
  return {
    requests: count,
    errors,
    seconds,
    throughput: count / seconds,
    ...summarize(latencies.subarray(0, count)),
    cpu: { client, server, other: Math.max(0, machine - client - (Number.isNaN(server) ? 0 : server)) },
    serverCpuUsPerRequest: count > 0 ? ((server1 - server0) * 1e6) / count : Number.NaN,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
