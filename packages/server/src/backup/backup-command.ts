import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ImError } from '../errors/im-error.ts';
import type { CommandDef } from '../rest/command.ts';
import type { ServerStore } from '../store/server-store.ts';

/** What the backup command needs: the store and where its SQLite database lives. */
export interface BackupContext {
  store: ServerStore;
  /** `storage.sqlite.path`, or undefined when the store is PostgreSQL. */
  sqlitePath: string | undefined;
}

/** `readwire-20261203T141902123Z.sqlite`: the UTC time of the backup, sortable by name. */
export function backupFileName(now: Date): string {
  return `readwire-${now.toISOString().replace(/[-:.]/g, '')}.sqlite`;
}

/**
 * `readwire_admin/backup` (admin UserSig, body `{}`): makes a consistent online copy of the SQLite database while the
 * server keeps serving, into `<folder of the database>/backups/readwire-<UTC time>.sqlite`, and answers
 * `{BackupPath, Bytes, DurationMs}`. The file is a complete database on its own: start a server on it to restore.
 *
 * The path is fixed by the server, never taken from the request: an admin credential lets its holder call the REST
 * API of one app, and must not also let it write files anywhere the server process may write (over a config file,
 * another database, a system file).
 *
 * Errors: `BACKUP_UNSUPPORTED` (60009) on PostgreSQL (back it up with `pg_dump`) or an in-memory database;
 * `INTERNAL` (91000) when the copy fails (e.g. the disk is full; no partial file is left behind).
 */
export function backupCommand(ctx: BackupContext): CommandDef {
  return {
    service: 'readwire_admin',
    command: 'backup',
    jsonError: 'JSON_PARSE',
    async handle() {
      const backup = ctx.store.backup?.bind(ctx.store);
      if (!backup || ctx.sqlitePath === undefined) throw new ImError('BACKUP_UNSUPPORTED');
      if (ctx.sqlitePath === ':memory:') {
        throw new ImError('BACKUP_UNSUPPORTED', 'the database is in memory (storage.sqlite.path is :memory:)');
      }
      const folder = join(dirname(resolve(ctx.sqlitePath)), 'backups');
      const started = performance.now();
      const now = new Date();
      let file = join(folder, backupFileName(now));
      for (let n = 2; existsSync(file); n++)
        file = join(folder, backupFileName(now).replace('.sqlite', `-${n}.sqlite`));
      try {
        mkdirSync(folder, { recursive: true });
        await backup(file);
      } catch (error) {
        if (error instanceof ImError) throw error;
        throw new ImError('INTERNAL', `backup to ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      return {
        BackupPath: file,
        Bytes: statSync(file).size,
        DurationMs: Math.round((performance.now() - started) * 10) / 10,
      };
    },
  };
}
