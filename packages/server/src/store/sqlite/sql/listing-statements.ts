import type { Database, Statement } from 'better-sqlite3';
import type { MessageRow } from './message-statements.ts';

/** A conversation-list row: the owner's conversation, the peer's read time and the last message's columns. */
export interface ConversationListRow {
  peer: string;
  unread: number;
  last_read_time: number;
  last_msg_id: number;
  peer_read_time: number;
  m_id: number | null;
}

const MESSAGE_COLUMNS = `id, msg_key, from_account, to_account, msg_seq, msg_random, msg_time, body, cloud_custom_data,
  counts_unread, sync_other_machine, recalled, read_receipt_at`;

/** Prepared listing statements. */
export interface ListingStatements {
  conversations: Statement<Record<string, unknown>, ConversationListRow & Omit<MessageRow, 'id'>>;
  messages: Statement<Record<string, unknown>, MessageRow>;
  readTime: Statement<[number, string, string], number>;
}

/**
 * Read-only listings for the client gateway. The conversation list scans the owner's rows (a primary-key prefix of
 * `conversations`) and sorts them by their last message id, so it costs one row per conversation the owner has;
 * the message page uses `messages_inbox` for both directions, like `admin_getroammsg`.
 */
export function prepareListingStatements(db: Database): ListingStatements {
  const conversations: ListingStatements['conversations'] =
    db.prepare(`SELECT c.peer, c.unread, c.last_read_time, c.last_msg_id,
        coalesce(p.last_read_time, 0) AS peer_read_time, m.id AS m_id, m.msg_key, m.from_account, m.to_account,
        m.msg_seq, m.msg_random, m.msg_time, m.body, m.cloud_custom_data, m.counts_unread, m.sync_other_machine,
        m.recalled, m.read_receipt_at
      FROM conversations c
      LEFT JOIN conversations p ON p.app_id = c.app_id AND p.owner = c.peer AND p.peer = c.owner
      LEFT JOIN messages m ON m.id = c.last_msg_id
      WHERE c.app_id = @app AND c.owner = @owner AND c.last_msg_id > 0 AND c.last_msg_id < @before
      ORDER BY c.last_msg_id DESC LIMIT @limit`);
  /** The owner's view of a conversation, newest first: everything from the peer, and what the owner sent unless not synced. */
  const messages: ListingStatements['messages'] = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages
      WHERE app_id = @app AND id < @before AND (
        (to_account = @owner AND from_account = @peer)
        OR (to_account = @peer AND from_account = @owner AND sync_other_machine <> 2))
        AND id > coalesce((SELECT cleared_upto_id FROM conversations WHERE app_id = @app AND owner = @owner
          AND peer = @peer), 0)
      ORDER BY id DESC LIMIT @limit`);
  const readTime = db
    .prepare(`SELECT last_read_time FROM conversations WHERE app_id = ? AND owner = ? AND peer = ?`)
    .pluck() as Statement<[number, string, string], number>;
  return { conversations, messages, readTime };
}
