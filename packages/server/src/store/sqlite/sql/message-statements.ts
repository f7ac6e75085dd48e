import type { Database, Statement } from 'better-sqlite3';

/** A message row as stored. */
export interface MessageRow {
  id: number;
  msg_key: string;
  from_account: string;
  to_account: string;
  msg_seq: number;
  msg_random: number;
  msg_time: number;
  body: string;
  cloud_custom_data: string;
  counts_unread: number;
  sync_other_machine: number;
  recalled: number;
  /** When the recipient sent a read receipt (ms; 0 = none). Absent where a query does not read it. */
  read_receipt_at?: number;
}

const COLUMNS = `id, msg_key, from_account, to_account, msg_seq, msg_random, msg_time, body, cloud_custom_data,
  counts_unread, sync_other_machine, recalled, read_receipt_at`;

/** Message rows (`prepareMessageStatements`). Index use: `messages_inbox` for conversations and roaming, `messages_key`, `messages_dedup`. */
export interface MessageStatements {
  insert: Statement;
  maxId: Statement<[], number | null>;
  maxTime: Statement<[], number | null>;
  countUnread: Statement<[number, string, string, number, number], number>;
  dedup: Statement<[number, string, number, string, number, number, number], MessageRow>;
  byKey: Statement<[number, string, string, string], MessageRow>;
  recall: Statement;
  roam: Statement<Record<string, unknown>, MessageRow>;
  keyInPair: Statement<Record<string, unknown>, number | null>;
}

/** Prepares the message statements once per connection. */
export function prepareMessageStatements(db: Database): MessageStatements {
  return {
    insert: db.prepare(`INSERT INTO messages (id, app_id, msg_key, from_account, to_account, msg_seq, msg_random,
      msg_time, content_crc, body, cloud_custom_data, counts_unread, sync_other_machine, life_time, created_at)
      VALUES (@id, @app, @key, @from, @to, @seq, @random, @time, @crc, @body, @ccd, @counts, @sync, @life, @now)`),
    maxId: db.prepare(`SELECT max(id) FROM messages`).pluck() as Statement<[], number | null>,
    /** MsgTime never decreases with id, so the newest row has the largest (an index-free O(1) lookup). */
    maxTime: db.prepare(`SELECT msg_time FROM messages ORDER BY id DESC LIMIT 1`).pluck() as Statement<
      [],
      number | null
    >,
    /** Counting unread messages after a watermark; scans only the ids above it. */
    countUnread: db
      .prepare(
        `SELECT count(*) FROM messages WHERE app_id = ? AND to_account = ? AND from_account = ? AND id > ?
         AND msg_time > ? AND counts_unread = 1 AND recalled = 0`,
      )
      .pluck() as Statement<[number, string, string, number, number], number>,
    /** A duplicate: same sender, recipient, MsgRandom, MsgSeq and content since a time (`messages_dedup`, then a filter). */
    dedup: db.prepare<[number, string, number, string, number, number, number], MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE app_id = ? AND from_account = ? AND msg_random = ? AND to_account = ?
         AND msg_seq = ? AND content_crc = ? AND msg_time >= ? ORDER BY id DESC LIMIT 1`,
    ),
    byKey: db.prepare<[number, string, string, string], MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE app_id = ? AND msg_key = ? AND from_account = ? AND to_account = ?`,
    ),
    recall: db.prepare(`UPDATE messages SET recalled = 1 WHERE id = ?`),
    /**
     * One page of a pair's messages (both directions) as `@a`, the querying party, sees them: newest first, below an
     * id; everything `@b` sent to `@a`, and what `@a` sent unless SyncOtherMachine 2 kept it out of its roaming.
     */
    roam: db.prepare<Record<string, unknown>, MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE app_id = @app AND id < @below AND msg_time BETWEEN @min AND @max AND (
         (to_account = @a AND from_account = @b) OR (to_account = @b AND from_account = @a AND sync_other_machine <> 2))
         AND id > coalesce((SELECT cleared_upto_id FROM conversations WHERE app_id = @app AND owner = @a AND peer = @b), 0)
       ORDER BY id DESC LIMIT @limit`,
    ),
    keyInPair: db
      .prepare(
        `SELECT min(id) FROM messages WHERE app_id = @app AND msg_key = @key AND (
         (from_account = @a AND to_account = @b) OR (from_account = @b AND to_account = @a))`,
      )
      .pluck() as Statement<Record<string, unknown>, number | null>,
  };
}
