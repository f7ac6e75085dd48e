import type { Sql } from '../pg-pool.ts';

/**
 * Deleting a conversation from its owner's list (`Store.deleteConversation`).
 *
 * **Locks.** `lock` locks the owner's conversation row (lock 2 of the global order in `message-sql.ts`) and reads the
 * owner's total; `head` then reads the newest message of the pair in a fresh snapshot taken after the lock (a send
 * into the conversation has either committed and is seen, or waits for the row and counts against the new
 * watermark); `hide` updates the row and moves the owner's account total (lock 3) in one statement.
 */
export const conversationDeleteSql = {
  /** (app, owner, peer): the owner's total (null: no such account) and the conversation's unread (null: no row). */
  lock: {
    name: 'rw_conv_delete_lock',
    text: `SELECT (SELECT unread_total FROM accounts WHERE app_id = $1 AND user_id = $2) AS total, c.unread
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT unread FROM conversations
        WHERE app_id = $1 AND owner = $2 AND peer = $3 FOR UPDATE) AS c ON true`,
  },
  /** (app, a, b): the newest message id of the pair, either direction (0: none), by `messages_inbox`. */
  head: {
    name: 'rw_conv_delete_head',
    text: `SELECT greatest(
        coalesce((SELECT max(id) FROM messages WHERE app_id = $1 AND to_account = $2 AND from_account = $3), 0),
        coalesce((SELECT max(id) FROM messages WHERE app_id = $1 AND to_account = $3 AND from_account = $2), 0)) AS head`,
  },
  /**
   * (app, owner, peer, head, clear, now, unread): count 0, read up to `head` (so the unread rule counts nothing before
   * it), no last message (listings skip the row until the next message) and, when clearing, the owner's history
   * start; the account total drops by the conversation's unread. Returns the new total when it moved.
   */
  hide: {
    name: 'rw_conv_delete_hide',
    text: `WITH c AS (UPDATE conversations SET unread = 0, read_upto_id = greatest(read_upto_id, $4), last_msg_id = 0,
          cleared_upto_id = CASE WHEN $5::boolean THEN greatest(cleared_upto_id, $4) ELSE cleared_upto_id END,
          updated_at = $6 WHERE app_id = $1 AND owner = $2 AND peer = $3)
      UPDATE accounts SET unread_total = unread_total - $7 WHERE app_id = $1 AND user_id = $2 AND $7::bigint <> 0
      RETURNING unread_total`,
  },
} satisfies Record<string, Sql>;
