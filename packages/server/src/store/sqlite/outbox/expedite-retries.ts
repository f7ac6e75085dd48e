import type { Database } from 'better-sqlite3';

/**
 * Making an app's waiting retries due now, when its endpoint's circuit breaker closes again: the failures that
 * scheduled them were most likely the outage that just ended, so the backlog should not wait out its backoff.
 *
 * Touches only unleased pending rows scheduled in the future (`lease_owner IS NULL`: in-flight rows keep their
 * lease) and goes through `callback_events_due`, whose range for one app is the app's unparked pending events.
 * Must run inside a write transaction.
 */
export function prepareExpediteRetries(db: Database) {
  const expedite = db.prepare<{ app: number; now: number }>(
    `UPDATE callback_events SET next_attempt_at = @now WHERE id IN (
       SELECT id FROM callback_events INDEXED BY callback_events_due
       WHERE app_id = @app AND state = 'pending' AND parked = 0 AND next_attempt_at > @now AND lease_owner IS NULL)`,
  );
  /** Returns how many events became due. */
  return function expediteRetries(appIds: number[], now: number): number {
    let n = 0;
    for (const app of appIds) n += expedite.run({ app, now }).changes;
    return n;
  };
}
