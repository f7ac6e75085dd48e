import type { Database, Statement } from 'better-sqlite3';

/**
 * Account rows. `unread_total` is the account's total C2C unread count, changed only inside write transactions
 * (group commit), so it never drifts from the per-conversation counts.
 */
export function prepareAccountStatements(db: Database) {
  return {
    upsert: db.prepare(`INSERT INTO accounts (app_id, user_id, nick, face_url, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (app_id, user_id) DO UPDATE SET nick = excluded.nick, face_url = excluded.face_url`) as Statement,
    exists: db.prepare(`SELECT 1 AS x FROM accounts WHERE app_id = ? AND user_id = ?`).pluck() as Statement<
      [number, string],
      number
    >,
    unreadTotal: db.prepare(`SELECT unread_total FROM accounts WHERE app_id = ? AND user_id = ?`).pluck() as Statement<
      [number, string],
      number
    >,
    addUnread: db
      .prepare(
        `UPDATE accounts SET unread_total = unread_total + ? WHERE app_id = ? AND user_id = ? RETURNING unread_total`,
      )
      .pluck() as Statement<[number, number, string], number>,
  };
}
