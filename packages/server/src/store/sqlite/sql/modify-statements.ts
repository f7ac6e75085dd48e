import type { Database, Statement } from 'better-sqlite3';

/**
 * The one write of a message edit (`Store.modifyMessage`): replaces a stored message's body and CloudCustomData, by
 * id (the op found the row by MsgKey, `messages_key`). Runs inside the write transaction. The content CRC is left as
 * sent: duplicate suppression is about the original send.
 */
export interface ModifyStatements {
  /** Bound as (body JSON, cloudCustomData, id). */
  setContent: Statement<[string, string, number]>;
}

/** Prepares the edit statement once per connection. */
export function prepareModifyStatements(db: Database): ModifyStatements {
  return {
    setContent: db.prepare<[string, string, number]>(
      `UPDATE messages SET body = ?, cloud_custom_data = ? WHERE id = ?`,
    ),
  };
}
