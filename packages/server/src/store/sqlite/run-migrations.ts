import type { Database } from 'better-sqlite3';
import { migrations } from './migrations/index.ts';

/**
 * Applies pending migrations. Each runs in its own `BEGIN IMMEDIATE` transaction that records its version
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
