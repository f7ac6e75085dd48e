// `npm run bench`: runs every benchmark, one at a time, each in its own process with a time limit.
//
//   npm run bench                         all of them (those whose file exists), in order
//   npm run bench -- rest                 one (or several: `rest dispatch`)
//   npm run bench -- rest --quick         arguments from the first `-…` on go to the selected benchmark(s)
//
// It first builds the packages (`tsc -b`, incremental): the servers under test run the built code, as `npm start`
// does. Each benchmark runs as `node --import tsx bench/<file>` in its own process group; past its time limit the
// whole group (including the servers it started) gets SIGTERM, then SIGKILL. Exit status: 0 only if every selected
// benchmark exited 0.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Bench {
  name: string;
  file: string;
  /** Time limit in minutes (BENCH_TIMEOUT_MINUTES overrides all). */
  minutes: number;
  /** Part of this repository from the start: missing is an error, not a skip. */
  required?: boolean;
}

const BENCHES: Bench[] = [
  { name: 'rest', file: 'rest-throughput.ts', minutes: 20, required: true },
  { name: 'rest-ratio', file: 'rest-ratio.ts', minutes: 15 },
  { name: 'dispatch', file: 'dispatch-e2e.ts', minutes: 15 },
  { name: 'console-cost', file: 'console-cost.ts', minutes: 10 },
  { name: 'overload', file: 'overload.ts', minutes: 20 },
  { name: 'sdk', file: 'sdk-receiver.ts', minutes: 15 },
  { name: 'gateway', file: 'gateway-load.ts', minutes: 15 },
  { name: 'pg-cluster', file: 'pg-cluster.ts', minutes: 15 },
];

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const firstFlag = argv.findIndex((a) => a.startsWith('-'));
const names = firstFlag === -1 ? argv : argv.slice(0, firstFlag);
const passThrough = firstFlag === -1 ? [] : argv.slice(firstFlag);

if (names.includes('help') || (passThrough.includes('--help') && names.length === 0)) {
  console.log(
    `usage: npm run bench [-- <name>… [args for the benchmark]]\nnames: ${BENCHES.map((b) => b.name).join(', ')}`,
  );
  process.exit(0);
}

const byName = (n: string) => BENCHES.find((b) => b.name === n || b.file === n || b.file === `${n}.ts`);
const unknown = names.filter((n) => !byName(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = names.length > 0 ? names.map((n) => byName(n)!) : BENCHES;
const overrideMinutes = Number(process.env.BENCH_TIMEOUT_MINUTES) || undefined;

let current: { pid: number } | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (current) killGroup(current.pid, 'SIGTERM');
    setTimeout(() => process.exit(130), 5_000).unref();
  });
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops what is left of a benchmark's process group: SIGTERM, then SIGKILL after `graceMs`. */
async function reapGroup(pid: number, graceMs = 10_000): Promise<void> {
  if (!groupAlive(pid)) return;
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (groupAlive(pid)) {
    console.error(`processes of the benchmark (group ${pid}) outlived it; killing them`);
    killGroup(pid, 'SIGKILL');
  }
}

/** Runs one benchmark; resolves with a one-line outcome. */
function runOne(b: Bench): Promise<{ ok: boolean; line: string }> {
  const path = `${benchDir}${b.file}`;
  if (!existsSync(path)) {
    return Promise.resolve(
      b.required
        ? { ok: false, line: `${b.name}: bench/${b.file} is missing` }
        : { ok: true, line: `${b.name}: skipped (no bench/${b.file})` },
    );
  }
  const minutes = overrideMinutes ?? b.minutes;
  const started = Date.now();
  console.error(`\n=== ${b.name} (bench/${b.file}, at most ${minutes} min) ===`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path, ...passThrough], {
      stdio: 'inherit',
      detached: true, // own process group, so a timeout also stops the servers it started
    });
    current = { pid: child.pid! };
    let timedOut = false;
    const term = setTimeout(() => {
      timedOut = true;
      console.error(`${b.name}: over ${minutes} min, stopping it`);
      killGroup(child.pid!, 'SIGTERM');
      setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 15_000).unref();
    }, minutes * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(term);
      current = undefined;
      // Anything it left behind in its group (a server child that outlived it) goes too.
      void reapGroup(child.pid!).then(() => {
        const seconds = Math.round((Date.now() - started) / 1000);
        const ok = code === 0 && !timedOut;
        const why = timedOut ? 'timed out' : signal ? `killed by ${signal}` : `exit ${code}`;
        resolve({ ok, line: `${b.name}: ${ok ? 'ok' : `FAILED (${why})`} in ${seconds} s` });
      });
    });
  });
}

execFileSync('npx', ['tsc', '-b'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
const outcomes: { ok: boolean; line: string }[] = [];
for (const b of selected) outcomes.push(await runOne(b));
console.error(`\n=== summary ===\n${outcomes.map((o) => o.line).join('\n')}`);
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;
