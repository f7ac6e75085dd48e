import type { Sql } from '../pg-pool.ts';
import { MESSAGE_COLUMNS } from './message-sql.ts';

/**
 * Message edits (`Store.modifyMessage`).
 *
 * **Locks.** `lock` locks the message row (lock 1 of the global order in `message-sql.ts`), so an edit and a recall of
 * one message on two nodes run one after the other (an edit never lands on a recalled message); `setContent` updates
 * that row. No conversation or account row is touched: an edit moves no count.
 */
export const modifySql = {
  /** (app, key, from, to): whether from and to are accounts, and the message, its row locked. */
  lock: {
    name: 'rw_modify_lock',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS from_ok,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $4) AS to_ok, m.*
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT ${MESSAGE_COLUMNS}, read_receipt_at FROM messages
        WHERE app_id = $1 AND msg_key = $2 AND from_account = $3 AND to_account = $4 ORDER BY id LIMIT 1 FOR UPDATE)
        AS m ON true`,
  },
  /** (id, body JSON, cloudCustomData). The content CRC stays as sent: duplicate suppression is about the send. */
  setContent: {
    name: 'rw_modify_set_content',
    text: `UPDATE messages SET body = $2, cloud_custom_data = $3 WHERE id = $1`,
  },
} satisfies Record<string, Sql>;
