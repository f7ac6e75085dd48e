import type { Database } from 'better-sqlite3';
import pg from 'pg';
import { runPgMigrations } from './postgres/run-pg-migrations.ts';
import { openSqlite } from './sqlite/open-sqlite.ts';

/** The tables copied, in this order (every table of the schema but the bookkeeping ones). */
export const COPIED_TABLES = [
  'accounts',
  'messages',
  'conversations',
  'callback_configs',
  'callback_events',
  'callback_attempts',
  'sync_users',
  'sync_events',
] as const;

/** Rows sent to PostgreSQL per statement. */
const CHUNK = 2000;

/** Where to copy from and to. */
export interface MigrateDataOptions {
  /** The SQLite file (no server may be running on it: it is opened with the server's exclusive lock). */
  sqlitePath: string;
  /** The PostgreSQL URL; without one, the `PG*` environment variables apply. */
  postgresUrl?: string | undefined;
  /** The target schema (created and migrated if missing; must hold no data). */
  schema: string;
  /** Told after each table. */
  progress?: ((table: string, rows: number) => void) | undefined;
}

/** Rows copied per table. */
export type MigrateDataResult = Record<(typeof COPIED_TABLES)[number], number>;

/**
 * Copies everything of a SQLite database into an empty PostgreSQL schema, in one PostgreSQL transaction (a failure
 * leaves the target as it was): accounts and their counts, messages, conversations with their read watermarks, the
 * callback outbox with its attempt log and saved configs, and the sync log with its cursor positions (so devices
 * resume). Ids are kept and the sequences moved past them. Callback events that were leased when the source server
 * stopped are due again at once, their interrupted attempt not counted against the retry schedule (as a restarted
 * server does). Afterwards every table's row count is compared between both sides.
 */
export async function migrateSqliteToPostgres(options: MigrateDataOptions): Promise<MigrateDataResult> {
  const db = openSqlite({ path: options.sqlitePath });
  const client = new pg.Client(options.postgresUrl === undefined ? {} : { connectionString: options.postgresUrl });
  try {
    await client.connect();
    await runPgMigrations(client, options.schema);
    const schema = pg.escapeIdentifier(options.schema);
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL search_path = ${schema}`);
      for (const table of COPIED_TABLES) {
        const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
        if (rows[0]?.any) {
          throw new Error(
            `the PostgreSQL schema ${options.schema} already holds data (table ${table}); copy into an empty schema`,
          );
        }
      }
      const result = {} as MigrateDataResult;
      for (const table of COPIED_TABLES) {
        result[table] = await copyTable(db, client, table);
        options.progress?.(table, result[table]);
      }
      await finish(db, client);
      for (const table of COPIED_TABLES) {
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        if (Number(rows[0]?.n) !== result[table]) throw new Error(`row count of ${table} differs after the copy`);
      }
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    db.close();
    await client.end().catch(() => undefined);
  }
}

/** Copies one table through `json_populate_recordset`, by the columns both sides have; returns the rows copied. */
async function copyTable(db: Database, client: pg.Client, table: string): Promise<number> {
  const source = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
  const { rows } = await client.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  const target = new Set(rows.map((r) => r.column_name));
  const columns = source.filter((c) => target.has(c));
  const missing = [...target].filter((c) => !source.includes(c));
  if (missing.length > 0) throw new Error(`table ${table}: the SQLite database has no column ${missing.join(', ')}`);
  const list = columns.map((c) => pg.escapeIdentifier(c)).join(', ');
  const insert = `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1)`;
  let copied = 0;
  let chunk: unknown[] = [];
  for (const row of db.prepare(`SELECT ${list} FROM ${table}`).iterate()) {
    chunk.push(row);
    if (chunk.length === CHUNK) {
      await client.query(insert, [JSON.stringify(chunk)]);
      copied += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) {
    await client.query(insert, [JSON.stringify(chunk)]);
    copied += chunk.length;
  }
  return copied;
}

/**
 * After the rows: every sequence past the highest id copied, the sync log's head and pruning horizon as the source
 * had them (a device's cursor stays valid), and the source's leases ended.
 */
async function finish(db: Database, client: pg.Client): Promise<void> {
  const maxOf = (table: string) =>
    (db.prepare(`SELECT coalesce(max(id), 0) AS m FROM ${table}`).get() as { m: number }).m;
  // `<table>_id_seq`: identity columns' sequences and those the store's statements draw ids from.
  const { rows: sequences } = await client.query<{ name: string }>(
    `SELECT sequencename AS name FROM pg_sequences WHERE schemaname = current_schema()`,
  );
  for (const { name } of sequences) {
    const table = name.replace(/_id_seq$/, '');
    if ((COPIED_TABLES as readonly string[]).includes(table)) await setSequence(client, name, maxOf(table));
  }
  const seqRow = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'sync_events'`).get() as
    { seq: number } | undefined;
  const head = Math.max(seqRow?.seq ?? 0, maxOf('sync_events'));
  const state = db.prepare('SELECT pruned_upto FROM sync_state WHERE id = 1').get() as
    { pruned_upto: number } | undefined;
  await client.query('UPDATE sync_state SET head = $1, pruned_upto = $2 WHERE id = 1', [head, state?.pruned_upto ?? 0]);
  await client.query(
    `UPDATE callback_events SET lease_owner = NULL, lease_until = NULL,
            next_attempt_at = least(next_attempt_at, $1), retry_base = retry_base + 1
      WHERE state = 'pending' AND lease_owner IS NOT NULL`,
    [Date.now()],
  );
}

/** Moves a sequence so its next value is above `max` (untouched when the table is empty). */
async function setSequence(client: pg.Client, sequence: string, max: number): Promise<void> {
  if (max > 0) await client.query('SELECT setval($1::regclass, $2)', [sequence, max]);
}
