import type { Database } from 'better-sqlite3';
import type { SavedCallbackConfig } from '../../../dispatch/outbox-admin.ts';

/**
 * The callback configs saved by `readwire_callback/set_config`, one row per app (`config` is JSON; `null` means
 * callbacks are off). Loaded once at start; saved through the group committer, so a successful `set_config` is
 * durable before it answers.
 */
export function prepareCallbackConfigRows(db: Database) {
  const all = db.prepare<[], { app_id: number; config: string; updated_at: number }>(
    'SELECT app_id, config, updated_at FROM callback_configs ORDER BY app_id',
  );
  const upsert = db.prepare<[number, string, number]>(
    `INSERT INTO callback_configs (app_id, config, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (app_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
  );
  return {
    /** Every saved config (rows whose JSON does not parse are skipped). */
    load(): SavedCallbackConfig[] {
      const out: SavedCallbackConfig[] = [];
      for (const r of all.all()) {
        try {
          out.push({ appId: r.app_id, config: JSON.parse(r.config) as unknown, updatedAt: r.updated_at });
        } catch {
          // A hand-edited row that is not JSON: ignore it; the file's config applies.
        }
      }
      return out;
    },
    /** Saves `config` for `appId`; must run inside a write transaction. */
    save(appId: number, config: unknown, now: number): void {
      upsert.run(appId, JSON.stringify(config ?? null), now);
    },
  };
}
