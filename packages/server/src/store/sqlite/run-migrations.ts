import type { Database } from 'better-sqlite3';
import { migrations } from './migrations/index.ts';

/** Thrown when the database file's schema is newer than this code (an older readwire on an upgraded file). */
export class SqliteSchemaTooNewError extends Error {
  override readonly name = 'SqliteSchemaTooNewError';
}

/**
 * Applies pending migrations. A database carrying a migration this code does not know is refused
 * ({@link SqliteSchemaTooNewError}): an older readwire would write rows the newer schema does not expect. Each runs in its own `BEGIN IMMEDIATE` transaction that records its version
 * first, so a crash mid-migration leaves the schema as it was.
 */
export function runMigrations(db: Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new SqliteSchemaTooNewError(
      `the database is at migration ${newest}, but this readwire knows migrations up to ${known} only: ` +
        'upgrade readwire (it refuses to write to a newer schema)',
    );
  }
  let count = 0;
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
      db.exec(m.sql);
    }).immediate();
    count++;
  }
  return count;
}
