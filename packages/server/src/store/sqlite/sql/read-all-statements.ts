import type { Database, Statement } from 'better-sqlite3';

/**
 * What a read-all (`Store.setReadAll`) reads before it writes: the owner's conversations with unread messages. A scan
 * of the owner's primary-key prefix of `conversations`, inside the write transaction (the database's exclusive lock
 * serializes writers, so no message can land between this read and the watermark writes that follow). The writes
 * themselves are the read report's (`set-read-op`), one per conversation.
 */
export interface ReadAllStatements {
  /** Bound as (app, owner); peers in key order. */
  unreadPeers: Statement<[number, string], string>;
}

/** Prepares the read-all statement once per connection. */
export function prepareReadAllStatements(db: Database): ReadAllStatements {
  return {
    unreadPeers: db
      .prepare(`SELECT peer FROM conversations WHERE app_id = ? AND owner = ? AND unread > 0 ORDER BY peer`)
      .pluck() as Statement<[number, string], string>,
  };
}
