import type { Sql } from '../pg-pool.ts';
import { MESSAGE_COLUMNS } from './message-sql.ts';

/**
 * Per-message read receipts (`Store.setReadReceipts`).
 *
 * **Locks.** `find` takes none (it checks the parties and finds the messages from peer to reader by MsgKey); `mark`
 * locks the found message rows in id order (lock 1 of the global order in `message-sql.ts`) and stamps those not
 * receipted yet (`read_receipt_at = 0`, so a repeated receipt changes nothing and two nodes receipting one message
 * stamp it once). No conversation or account row is touched: a receipt moves no count and no watermark.
 */
export const receiptSql = {
  /** (app, reader, peer, keys[]): whether reader and peer are accounts, and the messages from peer to reader by key. */
  find: {
    name: 'rw_receipt_find',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $2) AS reader_ok,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS peer_ok, m.*
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT ${MESSAGE_COLUMNS}, read_receipt_at FROM messages
        WHERE app_id = $1 AND msg_key = ANY($4::text[]) AND from_account = $3 AND to_account = $2) AS m ON true`,
  },
  /** (ids[], now): stamps the messages not receipted yet (locking them in id order); returns the ids it stamped. */
  mark: {
    name: 'rw_receipt_mark',
    text: `UPDATE messages SET read_receipt_at = $2 WHERE id IN (
        SELECT id FROM messages WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE)
      AND read_receipt_at = 0 RETURNING id`,
  },
} satisfies Record<string, Sql>;
