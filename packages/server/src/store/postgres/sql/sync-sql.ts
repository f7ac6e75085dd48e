import type { Sql } from '../pg-pool.ts';

const JOINED = `s.id, s.app_id, s.user_id, s.kind, s.data, s.created_at, m.id AS m_id, m.msg_key AS m_msg_key,
  m.from_account AS m_from_account, m.to_account AS m_to_account, m.msg_seq AS m_msg_seq, m.msg_random AS m_msg_random,
  m.msg_time AS m_msg_time, m.body AS m_body, m.cloud_custom_data AS m_cloud_custom_data,
  m.counts_unread AS m_counts_unread, m.sync_other_machine AS m_sync_other_machine, m.recalled AS m_recalled`;

/**
 * The per-user sync log.
 *
 * **Commit order.** Entries get their seqs from `sync_state.head`, advanced by `write_events_many` (migration 0009)
 * in the writing transaction: the row stays locked until that transaction ends, so the next writer's seqs come after this commit and seqs are in
 * commit order on every node. A reader that saw seq N can never later find an entry below N appearing. The price:
 * transactions that write entries commit one at a time (only writes that concern a user with a log take the lock,
 * as the last statement before COMMIT — lock 5 of the global order in `message-sql.ts`).
 *
 * Reads (`readUser`, `readAll`) return the head and horizon in the same statement (one snapshot) as the entries.
 */
export const syncSql = {
  /** (app, user, after, limit): head, horizon and one user's entries after a cursor. */
  readUser: {
    name: 'rw_sync_read_user',
    text: `SELECT st.head, st.pruned_upto, e.* FROM sync_state st LEFT JOIN LATERAL (SELECT ${JOINED}
        FROM sync_events s LEFT JOIN messages m ON m.id = s.msg_id
        WHERE s.app_id = $1 AND s.user_id = $2 AND s.id > $3 ORDER BY s.id LIMIT $4) AS e ON true WHERE st.id = 1
      ORDER BY e.id`,
  },
  /** (after, limit): head, horizon and everyone's entries after a cursor. */
  readAll: {
    name: 'rw_sync_read_all',
    text: `SELECT st.head, st.pruned_upto, e.* FROM sync_state st LEFT JOIN LATERAL (SELECT ${JOINED}
        FROM sync_events s LEFT JOIN messages m ON m.id = s.msg_id
        WHERE s.id > $1 ORDER BY s.id LIMIT $2) AS e ON true WHERE st.id = 1
      ORDER BY e.id`,
  },
  /** (app, user, now): starts a user's log. */
  addUser: {
    name: 'rw_sync_add_user',
    text: `INSERT INTO sync_users (app_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
  },
  /** (app, user): whether the user has a log. */
  hasUser: {
    name: 'rw_sync_has_user',
    text: `SELECT 1 AS x FROM sync_users WHERE app_id = $1 AND user_id = $2`,
  },
  /** (chunk, before): the last id of the oldest `chunk` entries created before a time (null when none). */
  pruneUpto: {
    name: 'rw_sync_prune_upto',
    text: `SELECT max(id) AS upto FROM (SELECT id, created_at FROM sync_events ORDER BY id LIMIT $1) AS s
      WHERE created_at < $2`,
  },
  /** (upto): deletes entries up to an id and raises the horizon (the head row is locked last). */
  prune: {
    name: 'rw_sync_prune',
    text: `WITH d AS (DELETE FROM sync_events WHERE id <= $1 RETURNING 1),
      h AS (UPDATE sync_state SET pruned_upto = greatest(pruned_upto, $1) WHERE id = 1)
      SELECT count(*) AS n FROM d`,
  },
} satisfies Record<string, Sql>;
