import type { Database, Statement } from 'better-sqlite3';
import type { MessageRow } from './message-statements.ts';

/** A sync-log row joined with its message (the `m_*` columns are null for entries without one). */
export interface SyncRow {
  id: number;
  app_id: number;
  user_id: string;
  kind: string;
  data: string;
  created_at: number;
  m_id: number | null;
}

/** A joined row that has its message. */
export type SyncRowWithMessage = SyncRow & { [K in keyof MessageRow as `m_${K}`]: MessageRow[K] };

const SELECT = `SELECT s.id, s.app_id, s.user_id, s.kind, s.data, s.created_at, m.id AS m_id, m.msg_key AS m_msg_key,
  m.from_account AS m_from_account, m.to_account AS m_to_account, m.msg_seq AS m_msg_seq, m.msg_random AS m_msg_random,
  m.msg_time AS m_msg_time, m.body AS m_body, m.cloud_custom_data AS m_cloud_custom_data,
  m.counts_unread AS m_counts_unread, m.sync_other_machine AS m_sync_other_machine, m.recalled AS m_recalled
  FROM sync_events s LEFT JOIN messages m ON m.id = s.msg_id`;

/** Prepared sync-log statements. */
export interface SyncStatements {
  insert: Statement;
  readUser: Statement<[number, string, number, number], SyncRow>;
  readAll: Statement<[number, number], SyncRow>;
  head: Statement<[], number>;
  horizon: Statement<[], number>;
  pruneUpto: Statement<[number, number], number | null>;
  deleteUpto: Statement;
  setHorizon: Statement;
  isSyncUser: Statement<[number, string], number>;
  /** Apps that have at least one user with a log. */
  appsWithUsers: Statement<[], number>;
  addSyncUser: Statement;
}

/**
 * Sync-log statements. A user's entries are read through `sync_events_user (app_id, user_id, id)`; the global tail
 * (what the gateway routes to connected devices after each commit) walks the primary key from the last id it read.
 * The head is `sqlite_sequence`'s value, which AUTOINCREMENT never lowers, so it survives pruning the whole log.
 */
export function prepareSyncStatements(db: Database): SyncStatements {
  const readUser: Statement<[number, string, number, number], SyncRow> = db.prepare(
    `${SELECT} WHERE s.app_id = ? AND s.user_id = ? AND s.id > ? ORDER BY s.id LIMIT ?`,
  );
  const readAll: Statement<[number, number], SyncRow> = db.prepare(`${SELECT} WHERE s.id > ? ORDER BY s.id LIMIT ?`);
  return {
    insert: db.prepare(`INSERT INTO sync_events (app_id, user_id, kind, msg_id, data, created_at)
      VALUES (@app, @user, @kind, @msgId, @data, @now)`),
    readUser,
    readAll,
    head: db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'sync_events'`).pluck() as Statement<[], number>,
    horizon: db.prepare(`SELECT pruned_upto FROM sync_state WHERE id = 1`).pluck() as Statement<[], number>,
    /** The last id of the oldest `limit` entries that were created before a time (null when none). */
    pruneUpto: db
      .prepare(
        `SELECT max(id) FROM (SELECT id, created_at FROM sync_events ORDER BY id LIMIT ?)
      WHERE created_at < ?`,
      )
      .pluck() as Statement<[number, number], number | null>,
    deleteUpto: db.prepare(`DELETE FROM sync_events WHERE id <= ?`),
    setHorizon: db.prepare(`UPDATE sync_state SET pruned_upto = max(pruned_upto, ?) WHERE id = 1`),
    isSyncUser: db.prepare(`SELECT 1 FROM sync_users WHERE app_id = ? AND user_id = ?`).pluck() as Statement<
      [number, string],
      number
    >,
    appsWithUsers: db.prepare(`SELECT DISTINCT app_id FROM sync_users`).pluck() as Statement<[], number>,
    addSyncUser: db.prepare(`INSERT OR IGNORE INTO sync_users (app_id, user_id, created_at) VALUES (?, ?, ?)`),
  };
}
