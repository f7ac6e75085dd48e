import { callAdmin } from '../dispatch/cli/admin-client.ts';
import { ADMIN_OPTIONS, adminTarget } from './admin-options.ts';
import { defineCommand } from './cli-command.ts';

/** How long the CLI waits for the server to finish the copy. */
const BACKUP_TIMEOUT_MS = 60 * 60_000;

/** `readwire backup`: makes an online backup of a running server's SQLite database. */
export const backupCommand = defineCommand({
  name: 'backup',
  summary: "Back up a running server's SQLite database, online.",
  usage: '(--config FILE | --sdkappid N --key KEY) [--url URL] [--json]',
  description:
    'Asks the running server (readwire_admin/backup, as the app admin) for a consistent copy of its SQLite ' +
    'database while it keeps serving. The server writes it next to the database, in ' +
    'backups/readwire-<UTC time>.sqlite, and this prints the path, size and duration. Restore by stopping the ' +
    'server and putting the copy in place of the database file. On PostgreSQL use pg_dump instead.',
  options: {
    ...ADMIN_OPTIONS,
    json: { type: 'boolean', description: 'Print the answer as JSON ({BackupPath, Bytes, DurationMs}).' },
  },
  examples: [
    'readwire backup --config readwire.json',
    'readwire backup --sdkappid 1400000000 --key "$(cat data/secret-key)" --url http://127.0.0.1:5080 --json',
  ],
  async action(o) {
    const target = adminTarget(o);
    const r = await callAdmin(target, 'backup', {}, { service: 'readwire_admin', timeoutMs: BACKUP_TIMEOUT_MS });
    const answer = { BackupPath: r.BackupPath, Bytes: r.Bytes, DurationMs: r.DurationMs };
    if (o.json) {
      process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      return;
    }
    const mb = (Number(r.Bytes) / 1_048_576).toFixed(1);
    process.stdout.write(`backup written: ${String(r.BackupPath)} (${mb} MB in ${String(r.DurationMs)} ms)\n`);
  },
});
