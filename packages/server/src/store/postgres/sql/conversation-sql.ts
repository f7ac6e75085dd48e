import type { Sql } from '../pg-pool.ts';

/**
 * Read reports. `conversations.unread` always equals the number of stored, counting, not recalled messages from peer
 * to owner with `id > read_upto_id AND msg_time > read_time`.
 *
 * **Locks.** A report locks the reporter's conversation row first (`lockAndState`, creating it if missing), then
 * reads the inbox head and recounts in later statements of the same function call — fresh snapshots taken after the
 * lock, so every send into the conversation has either committed (and is seen) or is waiting for the row (and will
 * apply the new watermark).
 * Then `write` updates that row and, when the count moved, the reporter's account row: locks 2 then 3 of the global
 * order (`message-sql.ts`).
 */
export const conversationSql = {
  /**
   * (app, owner, peer, now, readTime or null): one call of `read_state` (migration 0002): locks the row (creating it
   * if missing) and returns it with the reporter's total (null: no such account), whether the peer is an account, the
   * newest message id from peer to reporter (`o_head`) and, with a MsgReadTime, the unread count above the new
   * watermark (`o_counted`, else 0).
   */
  lockAndState: {
    name: 'rw_conv_lock_and_state',
    text: `SELECT * FROM read_state($1, $2, $3, $4, $5)`,
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
