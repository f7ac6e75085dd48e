import type { Sql } from '../pg-pool.ts';

/**
 * Read reports. `conversations.unread` always equals the number of stored, counting, not recalled messages from peer
 * to owner with `id > read_upto_id AND msg_time > read_time`.
 *
 * **Locks.** A report locks the reporter's conversation row first (`lock`, creating it if missing), then reads the
 * inbox head and recounts in a later statement — a fresh snapshot taken after the lock, so every send into the
 * conversation has either committed (and is seen) or is waiting for the row (and will apply the new watermark).
 * Then `write` updates that row and, when the count moved, the reporter's account row: locks 2 then 3 of the global
 * order (`message-sql.ts`).
 */
export const conversationSql = {
  /** (app, owner, peer): the conversation row, locked; none when it does not exist yet. */
  lock: {
    name: 'rw_conv_lock',
    text: `SELECT unread, read_upto_id, read_time, last_read_time FROM conversations
      WHERE app_id = $1 AND owner = $2 AND peer = $3 FOR UPDATE`,
  },
  /** (app, owner, peer, now): creates an empty conversation row (then `lock` it). */
  create: {
    name: 'rw_conv_create',
    text: `INSERT INTO conversations (app_id, owner, peer, updated_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (app_id, owner, peer) DO NOTHING`,
  },
  /**
   * (app, reporter, peer, upto, readTime): after `lock`, the reporter's total (null: no such account), whether the
   * peer is an account, the newest message id from peer to reporter (`head`) and the unread count above the given
   * watermarks.
   */
  state: {
    name: 'rw_conv_read_state',
    text: `SELECT (SELECT unread_total FROM accounts WHERE app_id = $1 AND user_id = $2) AS total,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS peer_ok,
      coalesce((SELECT max(id) FROM messages WHERE app_id = $1 AND to_account = $2 AND from_account = $3), 0) AS head,
      (SELECT count(*) FROM messages WHERE app_id = $1 AND to_account = $2 AND from_account = $3 AND id > $4
        AND msg_time > $5 AND counts_unread = 1 AND recalled = 0) AS unread`,
  },
  /**
   * (app, owner, peer, unread, upto, readTime, lastReadTime, now, delta): writes the new watermark and count, and
   * moves the account's total by `delta` (as `unread_total + delta`) when it is not 0. Returns the new total then.
   */
  write: {
    name: 'rw_conv_write_read',
    text: `WITH c AS (UPDATE conversations SET unread = $4, read_upto_id = $5, read_time = $6, last_read_time = $7,
          updated_at = $8 WHERE app_id = $1 AND owner = $2 AND peer = $3)
      UPDATE accounts SET unread_total = unread_total + $9 WHERE app_id = $1 AND user_id = $2 AND $9::bigint <> 0
      RETURNING unread_total`,
  },
} satisfies Record<string, Sql>;
