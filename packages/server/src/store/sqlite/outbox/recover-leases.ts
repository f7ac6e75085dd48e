import type { Database } from 'better-sqlite3';

/**
 * Ending the leases of a previous process at start. A lease exists so that a dispatcher that dies mid-attempt does
 * not strand its event: once `lease_until` passes, the event is due again. On SQLite the server holds the database's
 * exclusive lock (`open-sqlite.ts`), so at start every lease necessarily belongs to a process that is gone, and
 * waiting for it to expire would only delay recovery: such events become due at once. Their interrupted attempt
 * keeps its number (`attempts`, so `X-Readwire-Attempt` never repeats) but does not count against the retry schedule
 * (`retry_base + 1`), since its outcome is unknown. Scans pending rows through `callback_events_order`.
 * Must run inside a write transaction.
 */
export function prepareRecoverLeases(db: Database) {
  const recover = db.prepare<{ now: number; me: string }>(
    `UPDATE callback_events SET lease_owner = NULL, lease_until = NULL, next_attempt_at = min(next_attempt_at, @now),
     retry_base = retry_base + 1
     WHERE id IN (SELECT id FROM callback_events INDEXED BY callback_events_order WHERE state = 'pending')
     AND lease_owner IS NOT NULL AND lease_owner != @me`,
  );
  /** Ends every lease not held by `me` (this process); returns how many. */
  return function recoverLeases(now: number, me: string): number {
    return recover.run({ now, me }).changes;
  };
}
