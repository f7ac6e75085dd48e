import type { Database, Statement } from 'better-sqlite3';

/** A conversation row: one owner's view of the messages with one peer. */
export interface ConversationRow {
  unread: number;
  read_upto_id: number;
  read_time: number;
  last_read_time: number;
  last_msg_id: number;
}

/**
 * Conversation rows. Only write transactions change them; `unread` always equals the number of stored, counting,
 * not recalled messages from peer to owner with `id > read_upto_id AND msg_time > read_time`.
 */
export interface ConversationStatements {
  get: Statement<[number, string, string], ConversationRow>;
  unread: Statement<[number, string, string], number>;
  onMessage: Statement;
  setRead: Statement;
  addUnread: Statement;
}

/** Prepares the conversation statements once per connection. */
export function prepareConversationStatements(db: Database): ConversationStatements {
  return {
    get: db.prepare<[number, string, string], ConversationRow>(
      `SELECT unread, read_upto_id, read_time, last_read_time, last_msg_id FROM conversations
       WHERE app_id = ? AND owner = ? AND peer = ?`,
    ),
    unread: db
      .prepare(`SELECT unread FROM conversations WHERE app_id = ? AND owner = ? AND peer = ?`)
      .pluck() as Statement<[number, string, string], number>,
    /** New message: adds `unread` (0 or 1) and, unless NoLastMsg, moves last_msg_id. */
    onMessage: db.prepare(
      `INSERT INTO conversations (app_id, owner, peer, unread, last_msg_id, updated_at) VALUES (@app, @owner, @peer, @unread, @last, @now)
       ON CONFLICT (app_id, owner, peer) DO UPDATE SET unread = unread + excluded.unread,
         last_msg_id = max(last_msg_id, excluded.last_msg_id), updated_at = excluded.updated_at`,
    ),
    /** Read report: writes the new watermark and count (never backwards: callers pass max()es). */
    setRead: db.prepare(
      `INSERT INTO conversations (app_id, owner, peer, unread, read_upto_id, read_time, last_read_time, updated_at)
       VALUES (@app, @owner, @peer, @unread, @upto, @readTime, @lastReadTime, @now)
       ON CONFLICT (app_id, owner, peer) DO UPDATE SET unread = excluded.unread, read_upto_id = excluded.read_upto_id,
         read_time = excluded.read_time, last_read_time = excluded.last_read_time, updated_at = excluded.updated_at`,
    ),
    addUnread: db.prepare(`UPDATE conversations SET unread = unread + ? WHERE app_id = ? AND owner = ? AND peer = ?`),
  };
}
