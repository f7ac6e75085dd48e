import type { Database } from 'better-sqlite3';
import type { ClaimResult } from '../../../dispatch/outbox.ts';
import { CLAIM_COLUMNS, toClaimedEvent, type ClaimRow } from './event-row.ts';

/** Most candidate rows one app's claim examines (bounds the time the event loop spends in one claim). */
export const CLAIM_SCAN_BUDGET_ROWS = 4096;

/**
 * Claiming due events of one app.
 *
 * **Locking.** SQLite has no row locks and needs none here: the server holds the database's exclusive lock and the
 * claim runs inside one write transaction (an outbox batch, `BEGIN IMMEDIATE`), so the select-check-update below is
 * atomic with respect to every other write. (A PostgreSQL port would do the same in one statement with
 * `FOR UPDATE SKIP LOCKED`.)
 *
 * **Leases.** A claimed event gets `lease_owner`, `lease_until = now + leaseMs` and `next_attempt_at = lease_until`,
 * and `attempts + 1`. Moving `next_attempt_at` takes the event out of the due range while it is in flight, so
 * claims never rescan in-flight rows, and if the owner dies the event simply becomes due again when the lease
 * expires: crash recovery needs no other code. Settle and release are fenced by `(lease_owner, attempts)`.
 *
 * **Order.** Only a *head* — the lowest pending id of its `(app_id, ordering_key)` — may be claimed, so one key has
 * at most one event in flight and the next goes only after the previous was delivered or became dead. A candidate
 * that is not a head is *parked* (`parked = 1`), which drops it from `callback_events_due`: a long backlog behind
 * a failing head costs one scan per event, not one per claim. Settling a head as delivered or dead unparks the
 * key's next event (`settle-event.ts`). Different keys and apps never wait for each other.
 *
 * **Indexes.** Candidates come from `callback_events_due (app_id, next_attempt_at, id) WHERE state = 'pending' AND
 * parked = 0` in due order; the head check is one probe of `callback_events_order (app_id, ordering_key, id) WHERE
 * state = 'pending'`.
 */
export function prepareClaimEvents(db: Database) {
  const candidates = db.prepare<{ app: number; now: number; limit: number }, ClaimRow>(
    `SELECT ${CLAIM_COLUMNS} FROM callback_events INDEXED BY callback_events_due
     WHERE app_id = @app AND state = 'pending' AND parked = 0 AND next_attempt_at <= @now
     ORDER BY next_attempt_at, id LIMIT @limit`,
  );
  const earlierPending = db
    .prepare<[number, string, number], number>(
      `SELECT 1 FROM callback_events INDEXED BY callback_events_order
       WHERE app_id = ? AND ordering_key = ? AND state = 'pending' AND id < ? LIMIT 1`,
    )
    .pluck();
  const park = db.prepare<[number]>('UPDATE callback_events SET parked = 1 WHERE id = ?');
  const lease = db.prepare<{ ids: string; owner: string; until: number }>(
    `UPDATE callback_events SET lease_owner = @owner, lease_until = @until, next_attempt_at = @until,
     attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(@ids))`,
  );
  const nextDue = db
    .prepare<[number], number | null>(
      `SELECT min(next_attempt_at) FROM callback_events INDEXED BY callback_events_due
       WHERE app_id = ? AND state = 'pending' AND parked = 0`,
    )
    .pluck();

  /** Claims up to `limit` due heads of `appId`; must run inside a write transaction. */
  return function claimEvents(appId: number, owner: string, leaseMs: number, limit: number, now: number): ClaimResult {
    const result: ClaimResult = { appId, events: [], nextDueAt: undefined, more: false };
    let budget = CLAIM_SCAN_BUDGET_ROWS;
    const leased: number[] = [];
    const until = now + leaseMs;
    for (;;) {
      const page = Math.min(budget, limit - result.events.length + 32);
      const rows = candidates.all({ app: appId, now, limit: page });
      let parked = 0;
      for (const row of rows) {
        if (earlierPending.get(appId, row.ordering_key, row.id) !== undefined) {
          park.run(row.id);
          parked++;
          continue;
        }
        leased.push(row.id);
        result.events.push(toClaimedEvent(row, owner));
        if (result.events.length >= limit) break;
      }
      // Lease what this page found before looking again (the next page must not return the same rows).
      if (leased.length > 0) {
        lease.run({ ids: JSON.stringify(leased), owner, until });
        leased.length = 0;
      }
      budget -= rows.length;
      // Parked rows left the due range; look again unless the page was short (nothing more is due) or full.
      if (result.events.length >= limit || rows.length < page || parked === 0) break;
      if (budget <= 0) {
        result.more = true;
        break;
      }
    }
    result.nextDueAt = nextDue.get(appId) ?? undefined;
    return result;
  };
}
