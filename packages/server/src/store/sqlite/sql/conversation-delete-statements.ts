import type { Database, Statement } from 'better-sqlite3';

/**
 * The writes of deleting a conversation from its owner's list (`Store.deleteConversation`), inside the write
 * transaction (the database's exclusive lock serializes writers, so no message lands between the reads and the
 * writes): the owner's conversation row (primary key) and the newest message of the pair (`messages_inbox`, once per
 * direction), then the row — count 0, read up to that message (so the unread rule counts nothing before it), no last
 * message (so listings skip it until the next message) and, when clearing, the owner's history start — and the
 * owner's account total.
 */
export interface ConversationDeleteStatements {
  /** Bound as (app, owner, peer); undefined = no such conversation. */
  unread: Statement<[number, string, string], number>;
  /** Named parameters: app, a, b. The newest message id of the pair, either direction (null: none). */
  head: Statement<Record<string, unknown>, number | null>;
  /** Named parameters: app, owner, peer, head, clear (0/1), now. */
  hide: Statement<Record<string, unknown>>;
  /** Bound as (unread, app, owner). */
  dropTotal: Statement<[number, number, string]>;
}

/** Prepares the conversation-deletion statements once per connection. */
export function prepareConversationDeleteStatements(db: Database): ConversationDeleteStatements {
  return {
    unread: db
      .prepare(`SELECT unread FROM conversations WHERE app_id = ? AND owner = ? AND peer = ?`)
      .pluck() as Statement<[number, string, string], number>,
    head: db
      .prepare(
        `SELECT max(coalesce((SELECT max(id) FROM messages WHERE app_id = @app AND to_account = @a AND from_account = @b), 0),
           coalesce((SELECT max(id) FROM messages WHERE app_id = @app AND to_account = @b AND from_account = @a), 0))`,
      )
      .pluck() as Statement<Record<string, unknown>, number | null>,
    hide: db.prepare<Record<string, unknown>>(
      `UPDATE conversations SET unread = 0, read_upto_id = max(read_upto_id, @head), last_msg_id = 0,
         cleared_upto_id = CASE WHEN @clear = 1 THEN max(cleared_upto_id, @head) ELSE cleared_upto_id END,
         updated_at = @now
       WHERE app_id = @app AND owner = @owner AND peer = @peer`,
    ),
    dropTotal: db.prepare<[number, number, string]>(
      `UPDATE accounts SET unread_total = unread_total - ? WHERE app_id = ? AND user_id = ?`,
    ),
  };
}
