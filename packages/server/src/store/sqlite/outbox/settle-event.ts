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
 * **Fencing.** Every update matches the event's `lease_owner`, its `attempts` and `state = 'pending'`: an attempt
 * whose lease expired and was claimed again (by a restarted process, or after an event-loop stall longer than the
 * lease) changes nothing, so a stale result can never overwrite a newer one. The attempt row is written either way,
 * because the request did happen.
 *
 * **Order.** Delivered and dead end the key's head; the next pending event of the same `(app_id, ordering_key)` —
 * found with one probe of `callback_events_order` — is unparked so it becomes claimable (`onUnpark` is told, so the
 * caller knows a claim has to follow). A retry keeps the head in place, so the key's later events keep waiting
 * (strict order).
 *
 * Must run inside a write transaction (an outbox batch).
 */
export function prepareSettleEvent(db: Database, onUnpark: () => void = () => {}) {
  // Positional parameters on this hot path (binding by name costs about a microsecond per statement): each update
  // binds its new values, then the fence's id, owner and attempt.
  const fence = "id = ? AND lease_owner = ? AND attempts = ? AND state = 'pending'";
  type Fence = [id: number, owner: string, attempt: number];
  const delivered = db.prepare<[now: number, ...Fence]>(
    `UPDATE callback_events SET state = 'delivered', delivered_at = ?, lease_owner = NULL, lease_until = NULL,
     last_error = NULL WHERE ${fence}`,
  );
  const retry = db.prepare<[next: number, error: string | null, ...Fence]>(
    `UPDATE callback_events SET next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
     WHERE ${fence}`,
  );
  const dead = db.prepare<[error: string | null, ...Fence]>(
    `UPDATE callback_events SET state = 'dead', last_error = ?, lease_owner = NULL, lease_until = NULL
     WHERE ${fence}`,
  );
  const aborted = db.prepare<[now: number, error: string | null, ...Fence]>(
    `UPDATE callback_events SET next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL,
     retry_base = retry_base + 1 WHERE ${fence}`,
  );
  const unparkNext = db.prepare<[number, string]>(
    `UPDATE callback_events SET parked = 0 WHERE parked = 1 AND id = (
       SELECT id FROM callback_events INDEXED BY callback_events_order
       WHERE app_id = ? AND ordering_key = ? AND state = 'pending' ORDER BY id LIMIT 1)`,
  );
  const insertAttempt = db.prepare<
    [number, number, number, number, string, number | null, number, number | null, string | null, string | null, string]
  >(
    `INSERT INTO callback_attempts (event_row, app_id, attempt, started_at, url, status, latency_ms, error_code,
     error_info, error, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  /** Records the attempt and applies `outcome`; returns false when the lease was lost. */
  return function settleEvent(e: ClaimedEvent, outcome: SettleOutcome, r: AttemptRecord, now: number): boolean {
    const error = clip(r.error);
    const { rowId: id, owner, attempt } = e;
    let changes: number;
    switch (outcome.kind) {
      case 'delivered':
        changes = delivered.run(now, id, owner, attempt).changes;
        break;
      case 'retry':
        changes = retry.run(outcome.nextAttemptAt, error, id, owner, attempt).changes;
        break;
      case 'dead':
        changes = dead.run(error, id, owner, attempt).changes;
        break;
      case 'aborted':
        changes = aborted.run(now, error, id, owner, attempt).changes;
        break;
    }
    if (changes > 0 && (outcome.kind === 'delivered' || outcome.kind === 'dead')) {
      if (unparkNext.run(e.appId, e.orderingKey).changes > 0) onUnpark();
    }
    insertAttempt.run(
      id,
      e.appId,
      attempt,
      r.startedAt,
      r.url,
      r.status ?? null,
      Math.round(r.latencyMs * 100) / 100,
      r.errorCode ?? null,
      clip(r.errorInfo),
      error,
      outcome.kind,
    );
    return changes > 0;
  };
}
