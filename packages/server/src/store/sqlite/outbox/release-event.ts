import type { Database } from 'better-sqlite3';
import type { ClaimedEvent } from '../../../dispatch/outbox.ts';

/**
 * Returning a claimed event that was never sent (the app's callback config was removed, or the dispatcher stopped
 * between claim and send): the lease is cleared, the attempt counter restored and the event is due at once.
 *
 * **Fencing** as in `settle-event.ts`: `lease_owner = @owner AND attempts = @attempt AND state = 'pending'`, so a
 * lease that already expired and was claimed again is left alone. The key's later events stay parked: the head is
 * still pending. Must run inside a write transaction.
 */
export function prepareReleaseEvent(db: Database) {
  const release = db.prepare<{ id: number; owner: string; attempt: number; now: number }>(
    `UPDATE callback_events SET lease_owner = NULL, lease_until = NULL, next_attempt_at = @now,
     attempts = attempts - 1
     WHERE id = @id AND lease_owner = @owner AND attempts = @attempt AND state = 'pending'`,
  );
  /** Releases `e`; false when the lease was lost. */
  return function releaseEvent(e: ClaimedEvent, now: number): boolean {
    return release.run({ id: e.rowId, owner: e.owner, attempt: e.attempt, now }).changes > 0;
  };
}
