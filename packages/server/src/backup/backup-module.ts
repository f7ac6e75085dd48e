import type { ServerModule } from '../server-module.ts';
import { backupCommand } from './backup-command.ts';

/** Online backup as a server module: the `readwire_admin/backup` admin command (see {@link backupCommand}). */
export function backupModule(): ServerModule {
  return {
    name: 'backup',
    commands: (ctx) => [
      backupCommand({
        store: ctx.store,
        sqlitePath: ctx.config.storage.postgres ? undefined : ctx.config.storage.sqlite.path,
      }),
    ],
  };
}
