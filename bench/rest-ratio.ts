// The REST throughput ratio against the bare node:http baseline, measured in interleaved rounds: each round runs
// the bare server, then Readwire (both kept running, same load, same URLs), so a drift of the machine's speed during
// the run hits both sides of every ratio alike. Reports each round and the median and range of the ratios. On a
// shared VM, single pairs of runs were seen to vary by ±30%; the median of interleaved rounds is the number to quote.
//
// Calibration: the bare server is also measured burning 10, 20 and 40 µs of CPU per request (BARE_SPIN_US), which
// shows how much work per request a server may add and still reach a given share of the bare throughput here.
//
// Usage: npm run bench -- rest-ratio [--rounds 5] [--seconds 5] [--warmup 1] [--connections 64]
//          [--commands admin_set_msg_read,get_c2c_unread_msg_num] [--calibrate 10,20,40] [--window-ms 0] [--out FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild, waitForQuiet, type ChildServer } from './lib/child.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { RestApi } from './lib/rest-api.ts';
import { benchUsers, restBodies } from './lib/rest-bodies.ts';
import { median } from './lib/stats.ts';

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '64' },
    commands: { type: 'string', default: 'admin_set_msg_read,get_c2c_unread_msg_num' },
    calibrate: { type: 'string', default: '10,20,40' },
    'window-ms': { type: 'string', default: '0' },
    out: { type: 'string' },
  },
});
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(opt.rounds);
const SDKAPPID = 1400000001;
const SECRET_KEY = 'readwire-bench-secret-key-0123456789';
const TARGET_RATIO = 0.5;
const users = benchUsers(1000);
const BODIES = restBodies(users);

async function load(server: ChildServer, api: RestApi, command: string): Promise<LoadResult> {
  await waitForQuiet(0.25, 10_000);
  return runLoad({
    origin: server.url,
    path: () => api.path(`openim/${command}`),
    body: BODIES[`openim/${command}`]!,
    connections: Number(opt.connections),
    pipelining: 1,
    warmupMs: Number(opt.warmup) * 1000,
    durationMs: Number(opt.seconds) * 1000,
    serverPid: server.pid,
  });
}

const dir = mkdtempSync(join(tmpdir(), 'readwire-ratio-'));
const bare = await startChild(new URL('./lib/bare-server-main.ts', import.meta.url));
const readwire = await startChild(new URL('./lib/server-main.ts', import.meta.url), {
  env: {
    READWIRE_BENCH_CONFIG: JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      logLevel: 'warn',
      storage: {
        sqlite: { path: join(dir, 'readwire.db'), synchronous: 'FULL', groupCommitWindowMs: Number(opt['window-ms']) },
      },
      apps: [{ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, restRateLimit: 0 }],
    }),
  },
});
const results: Record<string, { rounds: { bare: number; readwire: number; ratio: number }[]; median: number }> = {};
const calibration: { spinUs: number; throughput: number; ratio: number }[] = [];
try {
  const bareApi = await RestApi.create(bare.url, SDKAPPID, SECRET_KEY);
  const api = await RestApi.create(readwire.url, SDKAPPID, SECRET_KEY);
  await api.importAccounts(users);
  console.log(`REST ratio: ${ROUNDS} interleaved rounds × ${opt.seconds} s, ${opt.connections} connections, FULL`);
  for (const command of opt.commands.split(',')) {
    const rounds: { bare: number; readwire: number; ratio: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const b = await load(bare, bareApi, command);
      const r = await load(readwire, api, command);
      if (r.errors > 0) throw new Error(`${command}: ${r.errors} errors, e.g. ${r.firstError}`);
      rounds.push({
        bare: Math.round(b.throughput),
        readwire: Math.round(r.throughput),
        ratio: r.throughput / b.throughput,
      });
      console.log(
        `  ${command} round ${i + 1}: bare ${Math.round(b.throughput)}/s, readwire ${Math.round(r.throughput)}/s ` +
          `(server ${r.serverCpuUsPerRequest.toFixed(1)} µs/req), ratio ${(r.throughput / b.throughput).toFixed(2)}`,
      );
    }
    const ratios = rounds.map((x) => x.ratio);
    results[command] = { rounds, median: median(ratios) };
    const verdict = command === 'admin_set_msg_read' ? (median(ratios) >= TARGET_RATIO ? 'PASS' : 'MISS') : 'info';
    console.log(
      `${verdict.padEnd(5)} ${command} vs bare: median ${median(ratios).toFixed(2)} ` +
        `(range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` +
        (command === 'admin_set_msg_read' ? `, target ≥ ${TARGET_RATIO}` : ''),
    );
  }
  const command = 'get_c2c_unread_msg_num';
  for (const spinUs of opt.calibrate.split(',').filter(Boolean).map(Number)) {
    const spun = await startChild(new URL('./lib/bare-server-main.ts', import.meta.url), {
      env: { BARE_SPIN_US: String(spinUs) },
    });
    try {
      const b = await load(bare, bareApi, command);
      const s = await load(spun, await RestApi.create(spun.url, SDKAPPID, SECRET_KEY), command);
      calibration.push({ spinUs, throughput: Math.round(s.throughput), ratio: s.throughput / b.throughput });
      console.log(
        `  calibration: bare + ${spinUs} µs of CPU per request: ${Math.round(s.throughput)}/s, ` +
          `${(s.throughput / b.throughput).toFixed(2)} of bare (${Math.round(b.throughput)}/s)`,
      );
    } finally {
      await spun.stop();
    }
  }
  const out = opt.out ?? join(ROOT, 'bench/results/rest-ratio.json');
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
  const report = { when: new Date().toISOString(), machine, results, calibration };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${out}`);
} finally {
  await readwire.stop();
  await bare.stop();
  rmSync(dir, { recursive: true, force: true });
}
