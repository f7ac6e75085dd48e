// What the console's Live page costs: the end-to-end callback bench (keep-alive clients call `admin_set_msg_read`,
// a node:http receiver gets `C2C.CallbackAfterMsgReport`) with and without a live-stream subscriber, on the same
// server, in interleaved rounds (without, with, then with, without, …, so a drift of the machine's speed hits both).
// The "open Live page" is a fetch reader consuming `POST /v4/readwire_console/live` as the browser console does (the
// browser's rendering is not measured: it runs in another process and receives at most 50 items and one tick per
// second whatever the load). Reports callbacks/s, the ratio with/without (median of the rounds; target ≥ 0.95) and the
// server's CPU per callback (process.cpuUsage of the server process via /proc).
//
// Usage: npx tsx bench/console-cost.ts [--seconds 8] [--rounds 4] [--connections 64] [--quick]
import { genUserSig } from '@readwire/sdk';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ActivityBus } from '../packages/server/src/console/activity-bus.ts';
import { CoreEvents } from '../packages/server/src/core/core-events.ts';
import { cpuSnapshot, drained, Receiver, ReportLoad, startChild } from './dispatch-harness.ts';
import { median } from './lib/stats.ts';
import { importAccounts } from './import-accounts.ts';

const { values: opt } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '64' },
    reporters: { type: 'string', default: '2000' },
    quick: { type: 'boolean', default: false },
  },
});
const ROUNDS = opt.quick ? 2 : Number(opt.rounds);
const SECONDS = opt.quick ? 3 : Number(opt.seconds);
const CONNECTIONS = Number(opt.connections);
const SDKAPPID = 1400000001;
const SECRET_KEY = 'readwire-console-bench-key-0123456789';
const reporters = Array.from({ length: Number(opt.reporters) }, (_, i) => `r${i}`);
const dir = mkdtempSync(join(tmpdir(), 'readwire-console-bench-'));
const sig = await genUserSig({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, userId: 'administrator' });
const base = `sdkappid=${SDKAPPID}&identifier=administrator&random=1&contenttype=json`;
const query = `${base}&usersig=${encodeURIComponent(sig)}`;
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

/** The "open Live page": reads the live stream and counts its frames until stopped. */
class LiveReader {
  items = 0;
  ticks = 0;
  dropped = 0;
  private readonly abort = new AbortController();
  private done: Promise<void> | undefined;

  async open(url: string): Promise<void> {
    const res = await fetch(`${url}/v4/readwire_console/live?${base}`, {
      method: 'POST',
      headers: { authorization: `UserSig ${sig}` },
      body: '{}',
      signal: this.abort.signal,
    });
    if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
      throw new Error(`no live stream: ${await res.text()}`);
    }
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    this.done = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (block.startsWith('event: item')) this.items++;
            else if (block.startsWith('event: tick')) {
              this.ticks++;
              const data = JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { Dropped: number };
              this.dropped += data.Dropped;
            }
          }
        }
      } catch {
        // aborted
      }
    })();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

const receiver = new Receiver();
await receiver.start();
const config = JSON.stringify({
  port: 0,
  logLevel: 'warn',
  allowPrivateCallbackUrls: true,
  storage: { sqlite: { path: join(dir, 'console-cost.db'), synchronous: 'FULL' } },
  apps: [{ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, restRateLimit: 0, callback: { url: receiver.url } }],
});
const child = await startChild('./lib/server-main.ts', { READWIRE_BENCH_CONFIG: config });
const load = new ReportLoad(child.url, query, reporters, CONNECTIONS);

interface Run {
  callbacksPerS: number;
  restPerS: number;
  serverCpuCores: number;
  serverCpuMsPerCallback: number;
  liveItems?: number;
  liveTicks?: number;
  liveDropped?: number;
}

async function measure(withLive: boolean, label: string): Promise<Run> {
  const live = withLive ? new LiveReader() : undefined;
  await live?.open(child.url);
  const cpu0 = cpuSnapshot([child.pid]).own;
  const [a0, r0] = [load.acked, receiver.arrivals.size];
  const t0 = performance.now();
  await load.closed(CONNECTIONS, SECONDS * 1000);
  const secs = (performance.now() - t0) / 1000;
  const [a1, r1] = [load.acked, receiver.arrivals.size];
  const cpu = (cpuSnapshot([child.pid]).own - cpu0) / secs;
  await live?.close();
  await drained(load, receiver, 60_000);
  const r: Run = {
    callbacksPerS: (r1 - r0) / secs,
    restPerS: (a1 - a0) / secs,
    serverCpuCores: cpu,
    serverCpuMsPerCallback: (cpu * 1000) / ((r1 - r0) / secs),
    ...(live ? { liveItems: live.items, liveTicks: live.ticks, liveDropped: live.dropped } : {}),
  };
  console.log(
    `  ${label.padEnd(26)} callbacks ${fmt(r.callbacksPerS).padStart(6)}/s  REST ${fmt(r.restPerS).padStart(6)}/s  ` +
      `server CPU ${fmt(cpu, 2)} cores, ${fmt(r.serverCpuMsPerCallback, 3)} ms/callback` +
      (live ? `  live: ${live.items} items, ${live.ticks} ticks, ${live.dropped} dropped` : ''),
  );
  return r;
}

/**
 * The activity bus alone, in this process: CPU per read report and per callback outcome with one subscriber (which
 * serialises its items as the stream does), against the same events with nobody watching. Deterministic, unlike the
 * end-to-end ratio on a shared machine.
 */
function busCost(events: number): { watchedUs: number; unwatchedUs: number } {
  const per = (watch: boolean) => {
    const core = new CoreEvents();
    const bus = new ActivityBus(core, 50);
    let bytes = 0;
    const stop = watch
      ? bus.subscribe({ appId: 1, item: (i) => (bytes += JSON.stringify(i).length), tick: () => undefined })
      : () => undefined;
    const origin = { clientIp: '127.0.0.1', optPlatform: 'RESTAPI' };
    const result = {
      reporter: 'r1',
      peer: 'peer',
      lastReadTime: 1,
      conversationUnread: 0,
      unreadTotal: 0,
      advanced: true,
    };
    const attempt = {
      appId: 1,
      eventId: 'e',
      command: 'C2C.CallbackAfterMsgReport',
      account: 'r1',
      attempt: 1,
      outcome: 'delivered' as const,
      status: 200,
      latencyMs: 1,
    };
    const t0 = process.cpuUsage();
    for (let i = 0; i < events; i++) {
      core.emit('read', { appId: 1, result, origin });
      core.emit('attempt', attempt);
    }
    const t = process.cpuUsage(t0);
    stop();
    bus.stop();
    return (t.user + t.system) / (2 * events);
  };
  const min = (watch: boolean) => Math.min(per(watch), per(watch), per(watch));
  per(true);
  per(false);
  return { watchedUs: min(true), unwatchedUs: min(false) };
}

try {
  const bus = busCost(500_000);
  console.log(
    `activity bus: ${fmt(bus.watchedUs, 3)} µs CPU per event with a Live stream open, ${fmt(bus.unwatchedUs, 3)} µs ` +
      `with none (in this process, the best of 3 × 1,000,000 events)`,
  );
  await importAccounts(child.url, query, [...reporters, 'peer']);
  await load.closed(CONNECTIONS, opt.quick ? 500 : 2000);
  await drained(load, receiver, 30_000);
  console.log(`console cost: ${ROUNDS} interleaved rounds of ${SECONDS} s, ${CONNECTIONS} connections`);
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const runs: { without: Run; with: Run }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? [false, true] : [true, false];
    const pair: Partial<Record<'without' | 'with', Run>> = {};
    for (const withLive of order) {
      pair[withLive ? 'with' : 'without'] = await measure(
        withLive,
        `round ${round}, ${withLive ? 'Live open' : 'no console'}`,
      );
    }
    runs.push(pair as { without: Run; with: Run });
    ratios.push(pair.with!.callbacksPerS / pair.without!.callbacksPerS);
    cpuRatios.push(pair.with!.serverCpuMsPerCallback / pair.without!.serverCpuMsPerCallback);
    console.log(
      `  round ${round}: throughput ratio ${fmt(ratios.at(-1)!, 3)}, CPU/callback ratio ${fmt(cpuRatios.at(-1)!, 3)}`,
    );
  }
  const ratio = median(ratios);
  console.log(
    `ratio: callbacks/s with the Live stream open ${fmt(ratio, 3)} of without (median of ${ratios.length} rounds, ` +
      `range ${fmt(Math.min(...ratios), 3)}–${fmt(Math.max(...ratios), 3)}); server CPU per callback ×${fmt(median(cpuRatios), 3)}; ` +
      `target ≥ 0.95 (${ratio >= 0.95 ? 'met' : 'NOT met'})`,
  );
  const out = fileURLToPath(new URL('./results/console-cost.json', import.meta.url));
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), results: { ratio, ratios, cpuRatios, runs, bus } }, null, 2)}\n`,
  );
  console.log(`results: ${out}`);
} finally {
  await load.close();
  await child.stop();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
}
