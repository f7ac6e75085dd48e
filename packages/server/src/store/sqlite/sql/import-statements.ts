import type { Database, Statement } from 'better-sqlite3';
import type { MessageRow } from './message-statements.ts';

/**
 * What a history import (`Store.importMessage`) reads before it writes: an earlier import of the same message — same
 * MsgSeq, MsgRandom and MsgTimeStamp in the same conversation, in either direction (Tencent's import dedup, which
 * ignores the content). Uses `messages_dedup (app_id, from_account, msg_random)` once per direction. Runs inside the
 * write transaction (the exclusive lock serializes writers, so two imports of one message cannot both miss it); the
 * insert is the send's (`insertMessage`).
 */
export interface ImportStatements {
  /** Named parameters: app, a, b, seq, random, time. */
  sameImport: Statement<Record<string, unknown>, MessageRow>;
}

/** Prepares the import statement once per connection. */
export function prepareImportStatements(db: Database): ImportStatements {
  return {
    sameImport: db.prepare<Record<string, unknown>, MessageRow>(
      `SELECT id, msg_key, from_account, to_account, msg_seq, msg_random, msg_time, body, cloud_custom_data,
         counts_unread, sync_other_machine, recalled, read_receipt_at
       FROM messages WHERE app_id = @app AND msg_seq = @seq AND msg_random = @random AND msg_time = @time
         AND ((from_account = @a AND to_account = @b) OR (from_account = @b AND to_account = @a))
       LIMIT 1`,
    ),
  };
}
