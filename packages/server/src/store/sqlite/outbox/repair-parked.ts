import type { Database } from 'better-sqlite3';

/**
 * Unparking heads that are parked although nothing pending precedes them. Settling a head unparks the next event
 * in the same transaction, so this should find nothing; it runs once at start as a safety net (e.g. after an
 * operator edited rows by hand), in O(pending events) over `callback_events_order`.
 * Must run inside a write transaction.
 */
export function prepareRepairParked(db: Database) {
  const repair = db.prepare(
    `UPDATE callback_events SET parked = 0 WHERE parked = 1 AND id IN (
       SELECT min(id) FROM callback_events INDEXED BY callback_events_order
       WHERE state = 'pending' GROUP BY app_id, ordering_key)`,
  );
  /** Returns how many heads were unparked. */
  return function repairParked(): number {
    return repair.run().changes;
  };
}
