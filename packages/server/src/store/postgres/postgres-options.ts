import pg from 'pg';

/** PostgreSQL settings from the config file (`storage.postgres`). */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`; when absent, the usual `PG*` environment variables apply. */
  url?: string | undefined;
  /** Schema holding Readwire's tables (created if missing). Default `readwire`. */
  schema?: string | undefined;
  /** Connections in this node's pool. Default 10. */
  poolSize?: number | undefined;
}

/** Where a store connects, as named in error messages (never the password). */
export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Schema names are plain identifiers, so they can be written into SQL and `search_path` without escaping. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name after checking it (lower-case letters, digits, `_`). */
export function schemaName(options: PostgresOptions): string {
  const schema = options.schema ?? 'readwire';
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`storage.postgres.schema "${schema}" must be a lower-case identifier ([a-z_][a-z0-9_]*)`);
  }
  return schema;
}

/**
 * Where `options` connect: the URL's parts, else the `PG*` variables and libpq's defaults, exactly as `pg` resolves
 * them. Throws a plain-worded error for a URL `pg` cannot parse.
 */
export function connectionTarget(options: PostgresOptions): ConnectionTarget {
  let client: pg.Client;
  try {
    client = new pg.Client(options.url === undefined ? {} : { connectionString: options.url });
  } catch (error) {
    throw new Error(`storage.postgres.url is not a valid PostgreSQL URL: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const c = client as unknown as { host: string; port: number; database: string | undefined; user: string };
  return { host: c.host, port: c.port, database: c.database ?? c.user, user: c.user };
}

/** `host:port, database "db", user "u"` — for messages. */
export function describeTarget(t: ConnectionTarget): string {
  return `PostgreSQL at ${t.host}:${t.port}, database "${t.database}", user "${t.user}"`;
}
