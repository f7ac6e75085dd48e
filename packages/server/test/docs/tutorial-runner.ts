import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShellProcess, ShellSession } from './shell-session.ts';
import { matchLines, type TutorialStep } from './tutorial-steps.ts';

/** The repository's root, the checkout the tutorials run against. */
export const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** The install step as the tutorial shows it; the test stands in for it with this checkout. */
const SETUP = ['git clone https://github.com/readwire/readwire.git', 'cd readwire', 'npm install'];

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** The reader's environment: no npm lifecycle variables of the test run leak into the tutorial's npm commands. */
function readerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE_OPTIONS') env[k] = v;
  // Nothing the tutorial does needs the registry: no audit, funding or update-notifier requests either.
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

/**
 * Runs a tutorial's steps for real: a temporary folder holding `readwire/` (this checkout, installed and built),
 * one bash session for the main terminal, a bash process per extra terminal, free ports for 5080 and 8080. The main
 * shell and the terminals start in that folder, or in `readwire/` with `startInCheckout`. Throws with the whole
 * transcript when a block fails or prints something else than the tutorial shows.
 */
export async function runTutorial(steps: TutorialStep[], startInCheckout = false): Promise<void> {
  const [serverPort, receiverPort] = [await freePort(), await freePort()];
  const substitute = (text: string) =>
    text
      .replace(/\b5080\b/g, String(serverPort))
      .replace(/\b8080\b/g, String(receiverPort))
      .replace(/^npm start$/m, `npm start -- --port ${serverPort} --log-format pretty`);

  // The tutorial folder, with `readwire/` standing for an installed and built checkout (this one).
  const home = mkdtempSync(join(tmpdir(), 'readwire-tutorial-'));
  mkdirSync(join(home, 'readwire'));
  for (const entry of ['node_modules', 'packages', 'package.json']) {
    symlinkSync(join(root, entry), join(home, 'readwire', entry));
  }
  const env = readerEnv();
  const start = startInCheckout ? join(home, 'readwire') : home;
  const session = new ShellSession(start, env);
  const terminals = new Map<string, { shell: ShellProcess; cursor: number }>();
  let lastShell: { script: string; out: string } | undefined;
  try {
    for (const step of steps) {
      switch (step.kind) {
        case 'setup':
          assert.deepEqual(step.text.trim().split('\n'), SETUP, 'the install step is the one this test stands in for');
          await session.run('cd readwire');
          break;
        case 'shell': {
          const script = substitute(step.text);
          lastShell = { script, out: await session.run(script) };
          break;
        }
        case 'output': {
          assert.ok(lastShell, 'an output block follows a shell block');
          const expected = substitute(step.text);
          const deadline = Date.now() + 30_000;
          while (matchLines(expected, lastShell.out) === undefined && step.poll && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 500));
            lastShell.out = await session.run(lastShell.script);
          }
          assert.notEqual(
            matchLines(expected, lastShell.out),
            undefined,
            `expected\n${expected}\ngot\n${lastShell.out}`,
          );
          break;
        }
        case 'terminal':
          assert.ok(!terminals.get(step.name)?.shell.running(), `terminal ${step.name} was stopped before`);
          terminals.set(step.name, { shell: new ShellProcess(['-c', substitute(step.text)], start, env), cursor: 0 });
          break;
        case 'terminal-output': {
          const terminal = terminals.get(step.name);
          assert.ok(terminal, `terminal ${step.name} was started`);
          const expected = substitute(step.text);
          terminal.cursor = await terminal.shell.waitUntil(
            (out) => matchLines(expected, out, terminal.cursor),
            `terminal ${step.name} to print\n${expected}`,
          );
          break;
        }
        case 'file':
          mkdirSync(dirname(join(start, step.path)), { recursive: true });
          writeFileSync(join(start, step.path), substitute(step.text));
          break;
        case 'stop':
          await terminals.get(step.name)?.shell.interrupt();
          break;
      }
    }
    const server = terminals.get('server')!.shell;
    assert.ok(!server.running() && /shutting down signal=SIGINT/.test(server.stdout()), 'Ctrl-C stopped the server');
  } catch (error) {
    const logs = [...terminals].map(([name, t]) => `=== terminal ${name}\n${t.shell.transcript()}`).join('\n');
    throw new Error(`${(error as Error).message}\n=== main shell\n${session.transcript()}\n${logs}`, { cause: error });
  } finally {
    for (const t of terminals.values()) await t.shell.interrupt();
    await session.close();
    rmSync(home, { recursive: true, force: true });
  }
}
