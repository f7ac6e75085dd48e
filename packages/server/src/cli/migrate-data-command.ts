import { parseArgs } from 'node:util';
import { migrateSqliteToPostgres } from '../store/migrate-sqlite-to-postgres.ts';

/** Usage of `readwire migrate-data`. */
export const MIGRATE_DATA_USAGE = `usage: readwire migrate-data --from sqlite:PATH --to postgres:URL [--schema NAME]
  Copies everything in a SQLite database (stop the server using it first) into an empty PostgreSQL schema
  (default "readwire"; created if missing), in one transaction. URL: postgres://user:password@host:port/database
  ("postgres:" alone uses the PG* environment variables).
`;

/** `readwire migrate-data`: copies a SQLite database into PostgreSQL. */
export async function migrateDataCommand(args: string[]): Promise<void> {
  const { values: o } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      schema: { type: 'string', default: 'readwire' },
      help: { type: 'boolean', default: false },
    },
  });
  if (o.help || !o.from?.startsWith('sqlite:') || !o.to?.startsWith('postgres')) {
    process.stdout.write(MIGRATE_DATA_USAGE);
    if (!o.help) process.exitCode = 2;
    return;
  }
  const sqlitePath = o.from.slice('sqlite:'.length);
  // `postgres://…` and `postgresql://…` are URLs as they are; `postgres:` alone means the PG* variables.
  const postgresUrl = /^postgres(ql)?:\/\//.test(o.to) ? o.to : o.to.replace(/^postgres(ql)?:/, '') || undefined;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(o.schema)) {
    throw new Error(`--schema ${o.schema} must be a lower-case identifier ([a-z_][a-z0-9_]*)`);
  }
  const started = Date.now();
  const result = await migrateSqliteToPostgres({
    sqlitePath,
    postgresUrl,
    schema: o.schema,
    progress: (table, rows) => process.stdout.write(`${table}: ${rows} rows\n`),
  });
  const total = Object.values(result).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `copied ${total} rows from ${sqlitePath} into schema ${o.schema} in ${Date.now() - started} ms; row counts match\n`,
  );
}
