import type { Sql } from '../pg-pool.ts';

/**
 * Writing callback events inside the write transaction of the change they report.
 *
 * **Per-key order across nodes.** `keyPending` calls `event_key_is_pending`, which takes the transaction-scoped
 * advisory lock of the event's (app, ordering key) — lock 4 of the global order (`message-sql.ts`; a write with
 * several events takes them in key order) — and then, in a fresh snapshot, says whether the key already has a pending
 * event. Writers of one key therefore insert one at a time: ids of a key's events follow commit order (so the lowest
 * pending id is the oldest, the head), and only a writer that finds no pending event may lease its event at once.
 */
export const outboxInsertSql = {
  /**
   * (app, keys[] in key order, users[]): `keyPending` for each key, in order, and the users with a sync log — one call
   * of `prepare_effects` (migration 0002). Rows: ('key', key, pending) then ('user', user, true).
   */
  prepare: {
    name: 'rw_outbox_prepare_effects',
    text: `SELECT * FROM prepare_effects($1, $2::text[], $3::text[])`,
  },
  /**
   * (app, keys[] in key order, users[], event ids[], commands[], keys of the events[], bodies[], client ips[],
   * platforms[], lease owners[] (null: none offered), lease ends[], now): one call of `write_events` (migration 0007)
   * — the keys' locks (lock 4), the events, and the users with a sync log. Rows: ('event', event id, leased, row id)
   * per event in order, then ('user', user, true, null).
   */
  writeEvents: {
    name: 'rw_outbox_write_events',
    text: `SELECT * FROM write_events($1, $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
      $8::text[], $9::text[], $10::text[], $11::bigint[], $12)`,
  },
  /** (app, key): takes the key's lock; true when the key has a pending event (then a new one is not its head). */
  keyPending: {
    name: 'rw_outbox_key_pending',
    text: `SELECT event_key_is_pending($1, $2) AS pending`,
  },
  /** (event id, app, command, key, body, client ip, platform, now): a pending event, due now. */
  insert: {
    name: 'rw_outbox_insert',
    text: `INSERT INTO callback_events (event_id, app_id, command, ordering_key, body, client_ip, opt_platform,
      next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
  },
  /**
   * (event id, app, command, key, body, client ip, platform, now, owner, until): a pending event already leased for its
   * first attempt (the columns a claim writes).
   */
  insertLeased: {
    name: 'rw_outbox_insert_leased',
    text: `INSERT INTO callback_events (event_id, app_id, command, ordering_key, body, client_ip, opt_platform, attempts,
      next_attempt_at, created_at, lease_owner, lease_until) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $10, $8, $9, $10)
      RETURNING id`,
  },
} satisfies Record<string, Sql>;
