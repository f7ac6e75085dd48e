import pg from 'pg';
import { ImError } from '../../errors/im-error.ts';
import { connectionTarget, describeTarget, schemaName, type PostgresOptions } from './postgres-options.ts';
import { inlineSql } from './pg-inline.ts';
import { pgTypes } from './pg-types.ts';

/** A named SQL statement: prepared once per connection on first use (`pg`'s named statements), then only bound. */
export interface Sql {
  name: string;
  text: string;
}

/** SQLSTATEs of a transaction that lost a race and may simply run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
/** Runs of a write that lost such a race before it fails with 91000. */
export const MAX_TX_RUNS = 5;

/** A string that needs no escaping inside '…' whatever standard_conforming_strings says: no quote, no backslash. */
const PLAIN = /^[^'\\]*$/;

/** One transaction's connection: statements run in order on it. */
export class PgTx {
  readonly client: pg.PoolClient;
  /** BEGIN and the settings, not sent yet: they go with the first statement (see `TxOptions.piggyback`). */
  private begin: string | undefined;
  /** `rowsThenCommit` ran: the transaction has committed. */
  committed = false;

  constructor(client: pg.PoolClient, begin?: string) {
    this.client = client;
    this.begin = begin;
  }

  /** BEGIN has been sent (a statement ran). */
  get begun(): boolean {
    return this.begin === undefined;
  }

  /** Runs a named statement; returns its rows. */
  async rows<T>(sql: Sql, values: unknown[] = []): Promise<T[]> {
    if (this.begin !== undefined) return rowsOf<T>(await this.inlined(sql, values));
    const r = await this.client.query<T & pg.QueryResultRow>({ name: sql.name, text: sql.text, values });
    return r.rows;
  }

  /**
   * Runs a statement and commits, in one round trip (a simple query with the values inlined): the transaction's last
   * statement. A failing statement skips the COMMIT (the caller rolls back).
   */
  async rowsThenCommit<T>(sql: Sql, values: unknown[]): Promise<T[]> {
    const results = await this.inlined(sql, values, '; COMMIT');
    this.committed = true;
    return rowsOf<T>(results);
  }

  /**
   * Runs `sql` with its values inlined as a simple query, after the pending BEGIN if there is one and before `tail`;
   * returns each statement's result.
   */
  private inlined(sql: Sql, values: unknown[], tail = ''): Promise<pg.QueryResult[]> {
    const begin = this.begin === undefined ? '' : `${this.begin}; `;
    return this.simple(`${begin}${inlineSql(sql, values, this.quote)}${tail}`);
  }

  /** A string as a literal: as is between quotes when it has no quote or backslash, else `escapeLiteral`'s form. */
  private readonly quote = (s: string): string => (PLAIN.test(s) ? `'${s}'` : this.client.escapeLiteral(s));

  /** Runs a simple query of several statements; returns each statement's result. */
  private async simple(text: string): Promise<pg.QueryResult[]> {
    this.begin = undefined;
    const r = (await this.client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(r) ? r : [r];
  }

  /** Runs a named statement; returns its first row (undefined when none). */
  async row<T>(sql: Sql, values: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, values))[0];
  }

  /** Runs a named statement; returns the number of rows it changed. */
  async count(sql: Sql, values: unknown[] = []): Promise<number> {
    if (this.begin !== undefined) {
      const results = await this.inlined(sql, values);
      return results.at(-1)?.rowCount ?? 0;
    }
    const r = await this.client.query({ name: sql.name, text: sql.text, values });
    return r.rowCount ?? 0;
  }
}

/** The rows of the statement that returned rows, among a simple query's results. */
function rowsOf<T>(results: pg.QueryResult[]): T[] {
  return (results.find((x) => x.fields.length > 0)?.rows ?? []) as T[];
}

/** How a transaction runs. */
export interface TxOptions {
  /** `SET TRANSACTION READ ONLY`: a writing statement fails. */
  readOnly?: boolean;
  /** `synchronous_commit = off` for this transaction: the commit does not wait for the WAL flush. */
  relaxed?: boolean;
  /** `lock_timeout` for this transaction: a lock not granted within it fails the statement (SQLSTATE 55P03). */
  lockTimeoutMs?: number;
  /** Runs before a 40001/40P01 is given up on (default {@link MAX_TX_RUNS}); then the error is thrown. */
  runs?: number;
  /**
   * BEGIN goes with the first statement, in one round trip (a simple query with the values inlined), and the work
   * may end with `rowsThenCommit`; a transaction that ran no statement sends nothing. Only for work whose statements
   * all go through `PgTx` and take values `inlineSql` can write.
   */
  piggyback?: boolean;
}

/** BEGIN and the transaction's settings, one round trip (a simple query may hold several statements). */
function beginStatement(options: TxOptions): string {
  if (options.readOnly) return 'BEGIN READ ONLY';
  let sql = 'BEGIN';
  if (options.relaxed) sql += '; SET LOCAL synchronous_commit = off';
  if (options.lockTimeoutMs !== undefined)
    sql += `; SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs))}`;
  return sql;
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * This node's connection pool on one schema. Every connection has `search_path` set to the schema (so statements name
 * tables unqualified and stay prepared per connection), `bigint` results parse to numbers, and a transaction that loses
 * a serialization or deadlock race (SQLSTATE 40001/40P01) runs again, up to {@link MAX_TX_RUNS} times, then fails with
 * an `ImError` INTERNAL (91000).
 */
export class PgPool {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** `PostgreSQL at host:port, database "d", user "u"`, for messages. */
  readonly target: string;
  /** Transactions that ran again after a 40001/40P01 (for tests and metrics). */
  retries = 0;

  private readonly config: pg.ClientConfig;

  constructor(options: PostgresOptions) {
    this.schema = schemaName(options);
    this.target = describeTarget(connectionTarget(options));
    this.config = {
      ...(options.url === undefined ? {} : { connectionString: options.url }),
      options: `-c search_path=${this.schema}`,
      types: pgTypes,
    };
    this.pool = new pg.Pool({ ...this.config, max: options.poolSize ?? 10 });
    // An idle connection that the server closed (restart, failover) is dropped by the pool; a new one is opened on
    // the next query. Without a listener the error would crash the process.
    this.pool.on('error', () => {});
  }

  /** A connection of its own (not pooled) with the pool's settings; the caller connects and ends it. */
  newClient(): pg.Client {
    return new pg.Client(this.config);
  }

  /** Runs one statement on any connection, outside a transaction. */
  async rows<T>(sql: Sql, values: unknown[] = []): Promise<T[]> {
    const r = await this.pool.query<T & pg.QueryResultRow>({ name: sql.name, text: sql.text, values });
    return r.rows;
  }

  /**
   * Runs `work` in one transaction (READ COMMITTED) and commits; rolls back and rethrows when it throws. `work` may run
   * more than once (after a 40001/40P01), so it must not have effects outside the transaction before it resolves.
   */
  async transaction<T>(work: (tx: PgTx) => Promise<T>, options: TxOptions = {}): Promise<T> {
    return this.retrying(() => this.runOnce(work, options), options.runs);
  }

  /**
   * Runs one statement as a transaction of its own (no BEGIN/COMMIT round trips), again after a 40001/40P01 as
   * {@link transaction} does; returns its rows.
   */
  statement<T>(sql: Sql, values: unknown[]): Promise<T[]> {
    return this.retrying(() => this.rows<T>(sql, values));
  }

  private async retrying<T>(run: () => Promise<T>, runs?: number): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const state = sqlState(error);
        if (state === undefined || !RETRYABLE.has(state)) throw error;
        if (runs !== undefined && attempt >= runs) throw error;
        if (attempt >= MAX_TX_RUNS) {
          throw new ImError('INTERNAL', `database conflict persisted after ${attempt} attempts (SQLSTATE ${state})`, {
            cause: error,
          });
        }
        this.retries++;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  private async runOnce<T>(work: (tx: PgTx) => Promise<T>, options: TxOptions): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    // A checked-out client has no error listener of the pool's: the server ending the session between two statements
    // (a restart, a failover) would otherwise be an unhandled 'error' event that ends the process. The statement in
    // progress, or the next one, fails instead, and the connection is not reused.
    const lost = () => (broken = true);
    client.on('error', lost);
    try {
      let tx: PgTx;
      if (options.piggyback) tx = new PgTx(client, beginStatement(options));
      else {
        await client.query(beginStatement(options));
        tx = new PgTx(client);
      }
      const result = await work(tx);
      if (tx.begun && !tx.committed) await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.removeListener('error', lost);
      client.release(broken);
    }
  }

  /** Closes every connection. */
  async end(): Promise<void> {
    await this.pool.end();
  }
}
