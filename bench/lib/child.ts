import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A server running in its own process, so the load generator never shares its event loop. */
export interface ChildServer {
  url: string;
  pid: number;
  /** CPU seconds (user + system) the process has used so far, from /proc. */
  cpuSeconds(): number;
  /** SIGTERM, then wait for a clean exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const CLK_TCK = 100;

/** CPU seconds used by `pid` (utime + stime), from `/proc/<pid>/stat`; NaN where /proc is unavailable. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** Busy and total CPU seconds of the whole machine, from `/proc/stat`. */
export function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/**
 * Starts `node [nodeArgs] --import tsx <script>` and waits for it to print `READY <url>` on stdout. The script should
 * call {@link exitWithParent}.
 * `env` is added to this process's environment. Its stderr is passed through.
 */
export async function startChild(
  script: URL,
  options: { env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', fileURLToPath(script)],
    // stdin stays open while this process lives: the child exits when it closes (see exitWithParent), so a crashed
    // or killed bench never leaves a server behind.
    { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script.pathname} did not start in time`)),
      options.timeoutMs ?? 60_000,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^READY (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      } else {
        process.stderr.write(`[${script.pathname.split('/').pop()}] ${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script.pathname} exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Waits (at most `maxWaitMs`) until the machine has been nearly idle for a second — fewer than `maxBusyCores` cores
 * busy — so a measurement does not start while other processes are using the CPU. Resolves with the busy cores seen
 * last.
 */
export async function waitForQuiet(maxBusyCores: number, maxWaitMs: number): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const a = machineCpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const b = machineCpuSeconds();
    const busy = (b.busy - a.busy) / ((b.total - a.total) / cpus().length);
    if (!(busy > maxBusyCores) || Date.now() >= deadline) return busy;
  }
}

/** For a child started by {@link startChild}: runs `stop` when the parent goes away (its end of stdin closes). */
export function exitWithParent(stop: () => void): void {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
