import type { Database, Statement } from 'better-sqlite3';

/**
 * The one write of a read receipt (`Store.setReadReceipts`): stamps a message with the time its recipient
 * acknowledged it, once. Runs inside the write transaction (SQLite: the group commit's; the database's exclusive lock
 * serializes writers); the `read_receipt_at = 0` condition makes a repeated receipt change nothing, and `changes`
 * tells the op whether this run was the first.
 */
export interface ReadReceiptStatements {
  /** Bound as (atMs, messageId). */
  mark: Statement<[number, number]>;
}

/** Prepares the read-receipt statement once per connection. */
export function prepareReadReceiptStatements(db: Database): ReadReceiptStatements {
  return {
    mark: db.prepare<[number, number]>(`UPDATE messages SET read_receipt_at = ? WHERE id = ? AND read_receipt_at = 0`),
  };
}
