import { migrateSqliteToPostgres } from '../store/migrate-sqlite-to-postgres.ts';
import { defineCommand, UsageError } from './cli-command.ts';

/** `readwire migrate-data`: copies a SQLite database into PostgreSQL. */
export const migrateDataCommand = defineCommand({
  name: 'migrate-data',
  summary: 'Copy a SQLite database into an empty PostgreSQL schema.',
  usage: '--from sqlite:PATH --to postgres:URL [--schema NAME]',
  description:
    'Copies everything in a SQLite database (stop the server using it first) into an empty PostgreSQL schema ' +
    '(created if missing), in one transaction, and checks the row counts. URL: ' +
    'postgres://user:password@host:port/database ("postgres:" alone uses the PG* environment variables).',
  options: {
    from: { type: 'string', value: 'sqlite:PATH', description: 'The SQLite database file to copy.' },
    to: { type: 'string', value: 'postgres:URL', description: 'The PostgreSQL database to copy into.' },
    schema: { type: 'string', value: 'NAME', description: 'The target schema (default readwire).' },
  },
  examples: [
    'readwire migrate-data --from sqlite:./data/readwire.db --to postgres://127.0.0.1:5432/im',
    'PGHOST=db.internal readwire migrate-data --from sqlite:./data/readwire.db --to postgres: --schema im',
  ],
  async action(o) {
    if (!o.from?.startsWith('sqlite:') || !o.to?.startsWith('postgres')) {
      throw new UsageError('--from sqlite:PATH and --to postgres:URL are required');
    }
    const schema = o.schema ?? 'readwire';
    const sqlitePath = o.from.slice('sqlite:'.length);
    // `postgres://…` and `postgresql://…` are URLs as they are; `postgres:` alone means the PG* variables.
    const postgresUrl = /^postgres(ql)?:\/\//.test(o.to) ? o.to : o.to.replace(/^postgres(ql)?:/, '') || undefined;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new UsageError(`--schema ${schema} must be a lower-case identifier ([a-z_][a-z0-9_]*)`);
    }
    const started = Date.now();
    const result = await migrateSqliteToPostgres({
      sqlitePath,
      postgresUrl,
      schema,
      progress: (table, rows) => process.stdout.write(`${table}: ${rows} rows\n`),
    });
    const total = Object.values(result).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `copied ${total} rows from ${sqlitePath} into schema ${schema} in ${Date.now() - started} ms; row counts match\n`,
    );
  },
});
