import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DatabaseLockedError } from './open-sqlite.ts';

/** A held lock; `release` frees it (the OS frees it too when the process dies, even by `kill -9`). */
export interface PathLock {
  release(): Promise<void>;
}

/**
 * Holds a Linux abstract-namespace Unix socket named after the absolute database path. SQLite's own exclusive lock
 * lives on the file, so once the file is deleted or replaced a second server could open a fresh file at the same path;
 * this lock is not a file and cannot be deleted. Elsewhere than Linux (no abstract namespace) it holds nothing.
 */
export async function holdPathLock(path: string): Promise<PathLock | undefined> {
  if (process.platform !== 'linux') return undefined;
  const absolute = resolve(path);
  const name = `\0readwire-db-${createHash('sha256').update(absolute).digest('hex').slice(0, 40)}`;
  const server = createServer();
  server.unref();
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        fail(
          new DatabaseLockedError(
            `the SQLite database ${absolute} is in use by another process (is another readwire server running on it?)`,
          ),
        );
      } else done(); // No abstract sockets here: SQLite's file lock still guards the common case.
    });
    server.listen({ path: name }, done);
  });
  return {
    release: () => new Promise<void>((done) => (server.listening ? server.close(() => done()) : done())),
  };
}
