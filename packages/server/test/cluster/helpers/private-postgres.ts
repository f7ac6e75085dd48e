/**
 * A PostgreSQL instance of its own (initdb into a temporary directory, trust auth, 127.0.0.1 on a free port), so a test
 * can restart it without touching the shared instance other tests use. Needs `initdb` and `pg_ctl` on the PATH; as
 * root, they run as the `postgres` user.
 * @module
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running private instance. */
export interface PrivatePostgres {
  url: string;
  /** `pg_ctl restart -m fast`: every connection is dropped, the server is back when this resolves. */
  restart(): Promise<void>;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The command line of a PostgreSQL tool, as `postgres` when this process is root. */
function command(tool: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', tool, ...args]] : [tool, args];
}

/** Runs a PostgreSQL tool and waits for it (blocking). */
function run(tool: string, args: string[]): void {
  const [cmd, argv] = command(tool, args);
  execFileSync(cmd, argv, { stdio: 'pipe', timeout: 60_000 });
}

/** Creates and starts a private instance. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      // Not blocking: the test goes on probing the nodes while the database is down.
      const [cmd, argv] = command('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-m', 'fast', '-w', 'restart']);
      await promisify(execFile)(cmd, argv, { timeout: 60_000 });
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
