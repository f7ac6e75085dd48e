import type { Database } from 'better-sqlite3';

/**
 * Deleting delivered events older than the retention, with their attempts, in bounded chunks (each chunk is one
 * write of the group committer, so REST writes never wait behind a long delete). Pending and dead events are never
 * pruned. Ids are selected first through `callback_events_delivered (delivered_at) WHERE state = 'delivered'`, then
 * both deletes use them: attempts by `callback_attempts_event`, events by primary key.
 * Must run inside a write transaction.
 */
export function preparePruneDelivered(db: Database) {
  const select = db
    .prepare<{ before: number; limit: number }, number>(
      `SELECT id FROM callback_events INDEXED BY callback_events_delivered
       WHERE state = 'delivered' AND delivered_at < @before ORDER BY delivered_at LIMIT @limit`,
    )
    .pluck();
  const deleteAttempts = db.prepare<[string]>(
    'DELETE FROM callback_attempts WHERE event_row IN (SELECT value FROM json_each(?))',
  );
  const deleteEvents = db.prepare<[string]>('DELETE FROM callback_events WHERE id IN (SELECT value FROM json_each(?))');
  /** Returns how many events were deleted. */
  return function pruneDelivered(beforeMs: number, limit: number): number {
    const ids = select.all({ before: beforeMs, limit });
    if (ids.length === 0) return 0;
    const json = JSON.stringify(ids);
    deleteAttempts.run(json);
    return deleteEvents.run(json).changes;
  };
}
