import type { Sql } from '../pg-pool.ts';

/**
 * Account rows. `unread_total` changes only as `unread_total + delta` inside the write that changes a conversation's
 * count (never read-modify-write in JavaScript), so concurrent writers on many nodes cannot lose an update.
 *
 * **Locks.** `importAccounts` upserts rows in `user_id` order (the account rows' global order); the reads take none.
 */
export const accountSql = {
  /** (app, user ids[], nicks[], face urls[], now): upsert, in user-id order. */
  upsert: {
    name: 'rw_account_upsert',
    text: `INSERT INTO accounts (app_id, user_id, nick, face_url, created_at)
      SELECT $1, t.u, t.n, t.f, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS t(u, n, f) ORDER BY t.u
      ON CONFLICT (app_id, user_id) DO UPDATE SET nick = excluded.nick, face_url = excluded.face_url`,
  },
  /** (app, user ids[]): the imported ones. */
  existing: {
    name: 'rw_account_existing',
    text: `SELECT user_id FROM accounts WHERE app_id = $1 AND user_id = ANY($2::text[])`,
  },
  /**
   * (app, user, peers[]): the user's total (null: no such user) and, per requested peer in order, whether it is an
   * account and the conversation's unread. Without peers, one row with a null peer.
   */
  unreadCounts: {
    name: 'rw_account_unread_counts',
    text: `SELECT (SELECT unread_total FROM accounts WHERE app_id = $1 AND user_id = $2) AS total, p.peer,
        EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = p.peer) AS known,
        coalesce((SELECT unread FROM conversations WHERE app_id = $1 AND owner = $2 AND peer = p.peer), 0) AS unread
      FROM (SELECT 1) AS one LEFT JOIN unnest($3::text[]) WITH ORDINALITY AS p(peer, ord) ON true ORDER BY p.ord`,
  },
  /** (app, user): the total (no lock). */
  total: {
    name: 'rw_account_total',
    text: `SELECT unread_total FROM accounts WHERE app_id = $1 AND user_id = $2`,
  },
} satisfies Record<string, Sql>;
