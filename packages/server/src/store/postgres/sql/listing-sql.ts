import type { Sql } from '../pg-pool.ts';
import { MESSAGE_COLUMNS } from './message-sql.ts';

/**
 * Read-only listings (roaming, conversation lists, message pages). They run outside transactions on any pooled
 * connection, each statement seeing committed data only; they take no locks.
 */
export const listingSql = {
  /**
   * (app, a, b, below, min, max, limit): one page of a pair's messages as `a` sees them, newest first (above the
   * history `a` cleared, `conversation-delete-sql.ts`).
   */
  roam: {
    name: 'rw_list_roam',
    text: `SELECT ${MESSAGE_COLUMNS}, read_receipt_at FROM messages WHERE app_id = $1 AND id < $4 AND msg_time BETWEEN $5 AND $6 AND (
        (to_account = $2 AND from_account = $3) OR (to_account = $3 AND from_account = $2 AND sync_other_machine <> 2))
        AND id > coalesce((SELECT cleared_upto_id FROM conversations WHERE app_id = $1 AND owner = $2 AND peer = $3), 0)
      ORDER BY id DESC LIMIT $7`,
  },
  /** (app, key, a, b): the lowest id of a MsgKey in the pair (null when it is not theirs). */
  keyInPair: {
    name: 'rw_list_key_in_pair',
    text: `SELECT min(id) AS id FROM messages WHERE app_id = $1 AND msg_key = $2 AND (
      (from_account = $3 AND to_account = $4) OR (from_account = $4 AND to_account = $3))`,
  },
  /** (app, a, b): whether both are accounts. */
  accountsExist: {
    name: 'rw_list_accounts_exist',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $2) AS a_ok,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS b_ok`,
  },
  /** (app, owner, before, limit): the owner's conversations with a last message, most recent first. */
  conversations: {
    name: 'rw_list_conversations',
    text: `SELECT c.peer, c.unread, c.last_read_time, c.last_msg_id, coalesce(p.last_read_time, 0) AS peer_read_time,
        m.id AS m_id, m.msg_key, m.from_account, m.to_account, m.msg_seq, m.msg_random, m.msg_time, m.body,
        m.cloud_custom_data, m.counts_unread, m.sync_other_machine, m.recalled, m.read_receipt_at
      FROM conversations c
      LEFT JOIN conversations p ON p.app_id = c.app_id AND p.owner = c.peer AND p.peer = c.owner
      LEFT JOIN messages m ON m.id = c.last_msg_id
      WHERE c.app_id = $1 AND c.owner = $2 AND c.last_msg_id > 0 AND c.last_msg_id < $3
      ORDER BY c.last_msg_id DESC LIMIT $4`,
  },
  /** (app, owner, peer, before, limit): the owner's view of a conversation, newest first. */
  messages: {
    name: 'rw_list_messages',
    text: `SELECT ${MESSAGE_COLUMNS}, read_receipt_at FROM messages WHERE app_id = $1 AND id < $4 AND (
        (to_account = $2 AND from_account = $3) OR (to_account = $3 AND from_account = $2 AND sync_other_machine <> 2))
        AND id > coalesce((SELECT cleared_upto_id FROM conversations WHERE app_id = $1 AND owner = $2 AND peer = $3), 0)
      ORDER BY id DESC LIMIT $5`,
  },
  /** (app, owner, peer): both read times of a conversation. */
  readTimes: {
    name: 'rw_list_read_times',
    text: `SELECT coalesce((SELECT last_read_time FROM conversations WHERE app_id = $1 AND owner = $2 AND peer = $3), 0)
        AS mine, coalesce((SELECT last_read_time FROM conversations WHERE app_id = $1 AND owner = $3 AND peer = $2), 0)
        AS theirs`,
  },
} satisfies Record<string, Sql>;
