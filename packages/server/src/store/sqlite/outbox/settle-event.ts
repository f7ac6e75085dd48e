import type { Database } from 'better-sqlite3';
import type { AttemptRecord, ClaimedEvent, SettleOutcome } from '../../../dispatch/outbox.ts';

/** Longest `ErrorInfo` / error text kept per attempt. */
export const ATTEMPT_TEXT_MAX_CHARS = 256;

function clip(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length > ATTEMPT_TEXT_MAX_CHARS ? `${text.slice(0, ATTEMPT_TEXT_MAX_CHARS - 1)}…` : text;
}

/**
 * Settling an attempt: record it in `callback_attempts` and move the event to `delivered`, to a later
 * `next_attempt_at` (retry), to `dead`, or — aborted at shutdown — back to due now.
 *
 * **Fencing.** Every update matches `lease_owner = @owner AND attempts = @attempt AND state = 'pending'`: an attempt
 * whose lease expired and was claimed again (by a restarted process, or after an event-loop stall longer than the
 * lease) changes nothing, so a stale result can never overwrite a newer one. The attempt row is written either way,
 * because the request did happen.
 *
 * **Order.** Delivered and dead end the key's head; the next pending event of the same `(app_id, ordering_key)` —
 * found with one probe of `callback_events_order` — is unparked so it becomes claimable. A retry keeps the head in
 * place, so the key's later events keep waiting (strict order).
 *
 * Must run inside a write transaction (an outbox batch).
 */
export function prepareSettleEvent(db: Database) {
  const fence = "id = @id AND lease_owner = @owner AND attempts = @attempt AND state = 'pending'";
  const delivered = db.prepare(
    `UPDATE callback_events SET state = 'delivered', delivered_at = @now, lease_owner = NULL, lease_until = NULL,
     last_error = NULL WHERE ${fence}`,
  );
  const retry = db.prepare(
    `UPDATE callback_events SET next_attempt_at = @next, lease_owner = NULL, lease_until = NULL, last_error = @error
     WHERE ${fence}`,
  );
  const dead = db.prepare(
    `UPDATE callback_events SET state = 'dead', lease_owner = NULL, lease_until = NULL, last_error = @error
     WHERE ${fence}`,
  );
  const aborted = db.prepare(
    `UPDATE callback_events SET next_attempt_at = @now, lease_owner = NULL, lease_until = NULL,
     retry_base = retry_base + 1, last_error = @error WHERE ${fence}`,
  );
  const unparkNext = db.prepare<{ app: number; key: string }>(
    `UPDATE callback_events SET parked = 0 WHERE parked = 1 AND id = (
       SELECT id FROM callback_events INDEXED BY callback_events_order
       WHERE app_id = @app AND ordering_key = @key AND state = 'pending' ORDER BY id LIMIT 1)`,
  );
  const insertAttempt = db.prepare(
    `INSERT INTO callback_attempts (event_row, app_id, attempt, started_at, url, status, latency_ms, error_code,
     error_info, error, outcome) VALUES (@row, @app, @attempt, @startedAt, @url, @status, @latency, @errorCode,
     @errorInfo, @error, @outcome)`,
  );

  /** Records the attempt and applies `outcome`; returns false when the lease was lost. */
  return function settleEvent(e: ClaimedEvent, outcome: SettleOutcome, r: AttemptRecord, now: number): boolean {
    const error = clip(r.error);
    const base = { id: e.rowId, owner: e.owner, attempt: e.attempt };
    let changes: number;
    switch (outcome.kind) {
      case 'delivered':
        changes = delivered.run({ ...base, now }).changes;
        break;
      case 'retry':
        changes = retry.run({ ...base, next: outcome.nextAttemptAt, error }).changes;
        break;
      case 'dead':
        changes = dead.run({ ...base, error }).changes;
        break;
      case 'aborted':
        changes = aborted.run({ ...base, now, error }).changes;
        break;
    }
    if (changes > 0 && (outcome.kind === 'delivered' || outcome.kind === 'dead')) {
      unparkNext.run({ app: e.appId, key: e.orderingKey });
    }
    insertAttempt.run({
      row: e.rowId,
      app: e.appId,
      attempt: e.attempt,
      startedAt: r.startedAt,
      url: r.url,
      status: r.status ?? null,
      latency: Math.round(r.latencyMs * 100) / 100,
      errorCode: r.errorCode ?? null,
      errorInfo: clip(r.errorInfo),
      error,
      outcome: outcome.kind,
    });
    return changes > 0;
  };
}
