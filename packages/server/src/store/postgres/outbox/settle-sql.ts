import type { Sql } from '../pg-pool.ts';

/**
 * Settling attempts, releasing unsent claims, expediting retries.
 *
 * **Fencing.** `settleBatch` and `release` match `lease_owner`, `attempts` and `state = 'pending'`: a node whose lease
 * expired and passed to another changes nothing (the attempt row is still written: the request did happen).
 *
 * **Locks.** A batch (`settleBatch`) first takes the advisory locks of the (app, ordering key) of every event it
 * settles as delivered or dead (in key order, as writers take them): a writer adding an event to such a key waits, so
 * the settle's later statements see every event of the key that exists. It then locks its event rows (in row-id
 * order, as the caller sorts them) and, in a later statement, the next pending event of each key settled as delivered
 * or dead, which it unparks whether or not it looks parked: a claim on another node that locked that event first is
 * waited for, and its parking undone (see `claimSql.judge`). A claim never waits (SKIP LOCKED), so a settle waits at
 * most for another settle or an `expedite`/replay touching the same rows; a rare cycle between two nodes' batches is
 * a deadlock PostgreSQL breaks (40P01), and the batch runs again.
 */
export const settleSql = {
  /**
   * (relaxed, `app:key` strings sorted as writers sort keys, ids[], owners[], attempts[], outcomes[], now, next attempt
   * at[], errors[], apps[], keys[], started[], urls[], statuses[], latencies[], error codes[], error infos[]): a batch
   * of settles, set-based (`settle_batch`, migration 0009), runnable as a transaction of its own:
   * `synchronous_commit = off` when relaxed, the keys' advisory locks, the outcomes, the attempts, the keys' new heads
   * unparked. Rows: (settled, unparked) per event; the first row carries every unparked event.
   */
  settleBatch: {
    name: 'rw_settle_batch',
    text: `SELECT * FROM settle_batch($1, $2::text[], $3::bigint[], $4::text[], $5::integer[], $6::text[], $7,
      $8::bigint[], $9::text[], $10::bigint[], $11::text[], $12::bigint[], $13::text[], $14::integer[], $15::float8[],
      $16::bigint[], $17::text[])`,
  },
  /** (id, owner, attempt, now): a claimed event never sent is due again, its attempt not used. */
  release: {
    name: 'rw_release',
    text: `UPDATE callback_events SET lease_owner = NULL, lease_until = NULL, next_attempt_at = $4,
        attempts = attempts - 1
      WHERE id = $1 AND lease_owner = $2 AND attempts = $3 AND state = 'pending'`,
  },
  /** (apps[], now): the apps' waiting, unleased retries become due now. */
  expedite: {
    name: 'rw_expedite',
    text: `UPDATE callback_events SET next_attempt_at = $2 WHERE app_id = ANY($1::bigint[]) AND state = 'pending'
      AND parked = 0 AND next_attempt_at > $2 AND lease_owner IS NULL`,
  },
} satisfies Record<string, Sql>;
