import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** A bash process whose output is collected; spawned in its own process group so that Ctrl-C reaches all of it. */
export class ShellProcess {
  private out = '';
  private err = '';
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('bash', ['--noprofile', '--norc', ...args], { cwd, env, detached: true });
    this.child.stdout.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Everything written to stdout so far. */
  stdout(): string {
    return this.out;
  }

  /** Both streams, for failure messages. */
  transcript(): string {
    return `--- stdout\n${this.out}\n--- stderr\n${this.err}`;
  }

  /** Resolves once `test(stdout)` holds; rejects when the process exits first or after `timeoutMs`. */
  async waitUntil<T>(test: (stdout: string) => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const found = test(this.out);
      if (found !== undefined) return found;
      if (!this.running()) throw new Error(`exited (${this.child.exitCode}) before ${what}\n${this.transcript()}`);
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${this.transcript()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Whether the process has not exited yet. */
  running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends SIGINT to the process group (Ctrl-C), then SIGKILL if it has not exited within 10 s. */
  async interrupt(): Promise<void> {
    if (!this.running()) return;
    process.kill(-this.child.pid!, 'SIGINT');
    const timer = setTimeout(() => {
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** One interactive-like bash session: blocks run one after another, sharing variables, functions and the folder. */
export class ShellSession {
  private readonly shell: ShellProcess;
  private blocks = 0;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.shell = new ShellProcess(['-s'], cwd, env);
    this.shell.child.stdin.write('set -eo pipefail\n');
  }

  /** Runs `script`; resolves with what it printed on stdout. A failing command ends the session (`set -e`). */
  async run(script: string, timeoutMs = 60_000): Promise<string> {
    const marker = `__tutorial_block_${++this.blocks}_done__`;
    const from = this.shell.stdout().length;
    this.shell.child.stdin.write(`${script}\necho ${marker}\n`);
    return this.shell.waitUntil(
      (out) => {
        const end = out.indexOf(marker, from);
        return end < 0 ? undefined : out.slice(from, end);
      },
      `the block to finish:\n${script}`,
      timeoutMs,
    );
  }

  /** Both streams of the whole session, for failure messages. */
  transcript(): string {
    return this.shell.transcript();
  }

  /** Ends the session. */
  async close(): Promise<void> {
    this.shell.child.stdin.end();
    await Promise.race([this.shell.exited, new Promise((r) => setTimeout(r, 5_000))]);
    await this.shell.interrupt();
  }
}
