import type { Database, Statement } from 'better-sqlite3';

/** The statements that write callback events. */
export interface OutboxInsertStatements {
  insert: Statement;
  insertLeased: Statement;
  hasPending: Statement<[number, string], number>;
}

/**
 * Writing callback events (the outbox). Runs inside the write transaction of the change being reported.
 * - `insert`: a pending event, due now; a claim takes it.
 * - `insertLeased`: a pending event already claimed by `@owner` until `@until` for its first attempt (claim at insert;
 *   the same columns a claim writes, see `outbox/claim-events.ts`).
 * - `hasPending`: whether the app and ordering key have a pending event already (then a new one is not the head and
 *   must wait for it); one probe of `callback_events_order`.
 */
export function prepareOutboxInsert(db: Database): OutboxInsertStatements {
  // Positional parameters (binding by name costs about a microsecond per statement on this hot path): event_id,
  // app_id, command, ordering_key, body, client_ip, opt_platform, then `insert`: now, now; `insertLeased`: until, now,
  // owner, until.
  const columns = `event_id, app_id, command, ordering_key, body, client_ip, opt_platform, state, attempts,
    next_attempt_at, created_at`;
  const values = `?, ?, ?, ?, ?, ?, ?, 'pending'`;
  return {
    insert: db.prepare(`INSERT INTO callback_events (${columns}) VALUES (${values}, 0, ?, ?)`),
    insertLeased: db.prepare(
      `INSERT INTO callback_events (${columns}, lease_owner, lease_until) VALUES (${values}, 1, ?, ?, ?, ?)`,
    ),
    hasPending: db
      .prepare<[number, string], number>(
        `SELECT 1 FROM callback_events INDEXED BY callback_events_order
         WHERE app_id = ? AND ordering_key = ? AND state = 'pending' LIMIT 1`,
      )
      .pluck(),
  };
}
