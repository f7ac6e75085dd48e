import pg from 'pg';
import { pgMigrations } from '../../store/postgres/migrations/index.ts';
import { connectionTarget, describeTarget, schemaName } from '../../store/postgres/postgres-options.ts';
import type { CheckResult, DoctorContext } from './doctor-check.ts';

/** How long the check waits for a connection. */
const CONNECT_TIMEOUT_MS = 5_000;

const fail = (message: string, fix: string): CheckResult => ({ check: 'storage', status: 'fail', message, fix });

/** What to do about a connection failure, by its SQLSTATE or socket error. */
function connectFix(code: string | undefined): string {
  if (code === '28P01' || code === '28000')
    return 'fix the user or password in storage.postgres.url (or PGUSER/PGPASSWORD)';
  if (code === '3D000') return 'create the database (createdb) or name an existing one in storage.postgres.url';
  return 'start PostgreSQL or fix host and port in storage.postgres.url (or PGHOST/PGPORT)';
}

/**
 * The PostgreSQL storage: the database answers with the configured credentials; the schema's migrations are current,
 * older (applied at start) or newer than this readwire (it would refuse to start); and the user can write there —
 * proved by creating the schema if missing and a table in it, inside a transaction that is rolled back, on a primary
 * (not a read-only standby).
 */
export async function postgresCheck(ctx: DoctorContext): Promise<CheckResult[]> {
  const options = ctx.config.storage.postgres;
  if (options === undefined) return [];
  let where: string;
  let schema: string;
  try {
    where = describeTarget(connectionTarget(options));
    schema = schemaName(options);
  } catch (error) {
    return [fail((error as Error).message, 'fix storage.postgres in the config file')];
  }
  const client = new pg.Client({
    ...(options.url === undefined ? {} : { connectionString: options.url }),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code;
    return [fail(`${where} cannot be reached: ${(error as Error).message}`, connectFix(code))];
  }
  try {
    return [await inspectSchema(client, where, schema)];
  } catch (error) {
    return [fail(`${where}: ${(error as Error).message}`, "check the PostgreSQL log and the user's privileges")];
  } finally {
    await client.end().catch(() => {});
  }
}

async function inspectSchema(client: pg.Client, where: string, schema: string): Promise<CheckResult> {
  const latest = Math.max(...pgMigrations.map((m) => m.version));
  const [state] = (
    await client.query<{ standby: boolean; has_schema: boolean; has_table: boolean }>(
      `SELECT pg_is_in_recovery() AS standby,
        EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS has_schema,
        to_regclass($2) IS NOT NULL AS has_table`,
      [schema, `${schema}.schema_migrations`],
    )
  ).rows;
  if (state!.standby) {
    return fail(`${where} is a read-only standby`, 'point storage.postgres.url at the primary');
  }
  let version = 0;
  if (state!.has_table) {
    const { rows } = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${schema}.schema_migrations`,
    );
    version = rows[0]?.v ?? 0;
  }
  if (version > latest) {
    return fail(
      `${where}: schema "${schema}" is at migration ${version}, newer than this readwire's ${latest}`,
      'upgrade readwire on this node: it refuses to write to a newer schema',
    );
  }
  try {
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE ${schema}.readwire_doctor_probe (x integer)`);
    if (state!.has_table) await client.query(`LOCK TABLE ${schema}.schema_migrations IN ROW EXCLUSIVE MODE NOWAIT`);
  } catch (error) {
    return fail(
      `${where}: cannot write in schema "${schema}": ${(error as Error).message}`,
      `grant the user CREATE on the database (or on schema ${schema}) and write access to its tables`,
    );
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
  const status = !state!.has_schema
    ? `schema "${schema}" will be created with migrations up to ${latest}`
    : version === latest
      ? `schema "${schema}" at migration ${latest} (current)`
      : `schema "${schema}" at migration ${version}: migrations up to ${latest} run at start`;
  return { check: 'storage', status: 'ok', message: `${where}: writable, ${status}` };
}
