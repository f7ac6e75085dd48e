import type { Database } from 'better-sqlite3';
import type { OutboxStats } from '../../../dispatch/outbox-admin.ts';

/**
 * Queue figures per app for the metrics scrape: pending count and oldest pending event from a covering scan of
 * `callback_events_order` (pending rows only, no table reads but one per app for the oldest's `created_at`), dead
 * count from `callback_events_dead`. O(pending + dead); read-only, outside transactions.
 */
export function prepareOutboxStats(db: Database) {
  const pending = db.prepare<[], { app_id: number; n: number; oldest: number }>(
    `SELECT app_id, count(*) AS n, min(id) AS oldest FROM callback_events INDEXED BY callback_events_order
     WHERE state = 'pending' GROUP BY app_id`,
  );
  const dead = db.prepare<[], { app_id: number; n: number }>(
    `SELECT app_id, count(*) AS n FROM callback_events INDEXED BY callback_events_dead
     WHERE state = 'dead' GROUP BY app_id`,
  );
  const createdAt = db.prepare<[number], number>('SELECT created_at FROM callback_events WHERE id = ?').pluck();
  /** Figures of every app that has pending or dead events. */
  return function outboxStats(): OutboxStats[] {
    const byApp = new Map<number, OutboxStats>();
    const get = (appId: number) => {
      let s = byApp.get(appId);
      if (!s) {
        s = { appId, pending: 0, dead: 0, oldestPendingAt: undefined };
        byApp.set(appId, s);
      }
      return s;
    };
    for (const r of pending.all()) {
      const s = get(r.app_id);
      s.pending = r.n;
      s.oldestPendingAt = createdAt.get(r.oldest);
    }
    for (const r of dead.all()) get(r.app_id).dead = r.n;
    return [...byApp.values()];
  };
}
