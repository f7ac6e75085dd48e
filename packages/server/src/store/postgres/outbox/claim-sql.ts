import type { Sql } from '../pg-pool.ts';

/** The columns a claim returns (after its lease was written: `attempts` already counts this attempt). */
export const CLAIMED_COLUMNS =
  'id, event_id, app_id, command, ordering_key, body, client_ip, opt_platform, attempts, retry_base, created_at';

/**
 * Claiming due heads of one app, from any number of nodes at once.
 *
 * **Locks.** `candidates` locks up to `limit` due, unparked pending rows of the app in due order with
 * `FOR UPDATE SKIP LOCKED` — rows another node is claiming or settling right now are skipped, never waited for — and
 * judges each: a *head* has no pending event of its (app, ordering key) with a lower id (ids of a key follow commit
 * order, `outbox-insert-sql.ts`). Non-heads are parked in the same statement (they leave `callback_events_due`
 * until the settle of their key's head unparks the next one). `lease` then writes the leases of the heads it takes,
 * rows this transaction already holds. A claim waits for no lock, so it cannot be part of a deadlock.
 *
 * **Leases and recovery.** A lease is `lease_owner` (the node's dispatcher), `lease_until` and `next_attempt_at =
 * lease_until`, with `attempts + 1`; settle and release are fenced by owner and attempt. A node that dies leaves its
 * leases to expire: the event is then due again and any node's next claim takes it. Taking over an expired lease
 * (`lease_owner` still set) adds one to `retry_base`: the interrupted attempt's outcome is unknown, so it does not use
 * the retry schedule (its number, `X-Readwire-Attempt`, is never reused).
 */
export const claimSql = {
  /** (app, now, limit): locks candidates, in due order. */
  candidates: {
    name: 'rw_claim_candidates',
    text: `SELECT id FROM callback_events
        WHERE app_id = $1 AND state = 'pending' AND parked = 0 AND next_attempt_at <= $2
        ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
  },
  /**
   * (app, ids[]): judges the locked candidates and parks the non-heads. A statement of its own, so its snapshot is
   * taken after the candidates were locked: a settle that committed meanwhile is seen (its key's next event is a head
   * then), and one still running has locked that next event already (so it was skipped) or is waiting for this
   * transaction's lock on it (and unparks it once this commits). Parking on the candidates' own snapshot could park
   * an event whose head another node delivered in between, for good.
   */
  judge: {
    name: 'rw_claim_judge',
    text: `WITH judged AS (SELECT c.id, NOT EXISTS (SELECT 1 FROM callback_events e
          WHERE e.app_id = $1 AND e.ordering_key = c.ordering_key AND e.state = 'pending' AND e.id < c.id) AS head
        FROM callback_events c WHERE c.id = ANY($2::bigint[])),
      p AS (UPDATE callback_events SET parked = 1 WHERE id IN (SELECT id FROM judged WHERE NOT head))
      SELECT id, head FROM judged`,
  },
  /** (ids[], owner, until): leases locked heads. */
  lease: {
    name: 'rw_claim_lease',
    text: `UPDATE callback_events SET lease_owner = $2, lease_until = $3, next_attempt_at = $3,
        attempts = attempts + 1, retry_base = retry_base + CASE WHEN lease_owner IS NULL THEN 0 ELSE 1 END
      WHERE id = ANY($1::bigint[]) RETURNING ${CLAIMED_COLUMNS}`,
  },
  /** (app): the earliest `next_attempt_at` of the app's unparked pending events (leased ones included). */
  nextDue: {
    name: 'rw_claim_next_due',
    text: `SELECT min(next_attempt_at) AS next FROM callback_events WHERE app_id = $1 AND state = 'pending' AND parked = 0`,
  },
} satisfies Record<string, Sql>;
