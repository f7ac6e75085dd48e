import type { Sql } from '../pg-pool.ts';

/** The message columns read back (as `StoredMessage`). */
export const MESSAGE_COLUMNS = `id, msg_key, from_account, to_account, msg_seq, msg_random, msg_time, body,
  cloud_custom_data, counts_unread, sync_other_machine, recalled`;

/**
 * Storing and recalling messages.
 *
 * **Locks, in the global order every write follows** (so no two writes wait for each other in a cycle):
 *  0. a send's duplicate-suppression key (advisory, `find_duplicate`), first and alone;
 *  1. the message row (recall only: `lockForRecall`);
 *  2. conversation rows, in (owner, peer) order;
 *  3. account rows (`unread_total`), in user-id order;
 *  4. the callback events' ordering keys (advisory, `outbox-insert-sql.ts`), in key order;
 *  5. the sync log's head row (`sync-sql.ts`), last, just before the commit.
 * `store` takes 2 then 3 in one statement: the sender's and recipient's conversation rows (upserted in (owner, peer)
 * order), then the recipient's account row when the message counts. The account update reads the upsert's rows with
 * `count(*)`, which consumes all of them, so both conversation rows are locked before it (an `EXISTS` would stop at
 * the first row and lock the account between the two). A batch send locks every conversation row of the batch first
 * (`lockConversations`), then runs `store` per recipient in user-id order, which adds only account rows.
 * The group commit (`pg-group-commit.ts`) runs several writes in one transaction, each in this order, and appends
 * their sync-log entries together at the end (5 stays last); such a batch may wait in a cycle, so it runs with a short
 * `lock_timeout` and, when it fails, its writes run again alone.
 */
export const messageSql = {
  /** (app, from, to): whether both are accounts. */
  parties: {
    name: 'rw_msg_parties',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $2) AS from_ok,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS to_ok`,
  },
  /** (app, from, to, random, seq, crc, since): the parties, and the original of a resend (lock 0, then a fresh look). */
  partiesAndDuplicate: {
    name: 'rw_msg_parties_dup',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $2) AS from_ok,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS to_ok, d.id, d.msg_key, d.from_account,
      d.to_account, d.msg_seq, d.msg_random, d.msg_time, d.body, d.cloud_custom_data, d.counts_unread,
      d.sync_other_machine, d.recalled
      FROM (SELECT 1) AS one LEFT JOIN LATERAL find_duplicate($1, $2, $3, $4, $5, $6, $7) AS d ON true`,
  },
  /**
   * (app, owners[], peers[], now): creates or locks conversation rows in (owner, peer) order — a batch send takes all
   * its conversation rows first, so its per-recipient `store` statements only add account rows (in user-id order).
   */
  lockConversations: {
    name: 'rw_msg_lock_conversations',
    text: `INSERT INTO conversations AS cv (app_id, owner, peer, updated_at)
      SELECT $1, t.o, t.p, $4 FROM unnest($2::text[], $3::text[]) AS t(o, p) ORDER BY t.o, t.p
      ON CONFLICT (app_id, owner, peer) DO UPDATE SET updated_at = cv.updated_at`,
  },
  /** (app, n): n new message ids, ascending. */
  allocateIds: {
    name: 'rw_msg_allocate_ids',
    text: `SELECT nextval('messages_id_seq') AS id FROM generate_series(1, $1::int) ORDER BY 1`,
  },
  /**
   * Stores one message and updates the counts (locks 2 then 3). Parameters: app, id (null: allocate), key (null:
   * `id_random_time`), from, to, seq, random, time, crc, body, cloud custom data, counts (0/1), sync, life, now,
   * noLastMsg. The recipient's conversation counts the message iff it counts and is above both watermarks of the
   * locked row (`id > read_upto_id AND msg_time > read_time`, the same rule a recount uses); the account total moves
   * by the same one. Returns the id, key and the recipient's total.
   */
  store: {
    name: 'rw_msg_store',
    text: `WITH n AS (SELECT coalesce($2::bigint, nextval('messages_id_seq')) AS id),
      m AS (INSERT INTO messages (id, app_id, msg_key, from_account, to_account, msg_seq, msg_random, msg_time,
          content_crc, body, cloud_custom_data, counts_unread, sync_other_machine, life_time, created_at)
        SELECT n.id, $1, coalesce($3::text, n.id || '_' || $7::bigint || '_' || $8::bigint), $4, $5, $6, $7, $8, $9,
          $10, $11, $12, $13, $14, $15 FROM n
        RETURNING id, msg_key),
      c AS (INSERT INTO conversations AS cv (app_id, owner, peer, unread, last_msg_id, updated_at)
        SELECT $1, v.owner, v.peer, v.counts, CASE WHEN $16::boolean THEN 0 ELSE n.id END, $15
        FROM n, (VALUES ($5::text, $4::text, $12::int, false), ($4::text, $5::text, 0, true)) AS v(owner, peer, counts, sender)
        WHERE NOT (v.sender AND $4::text = $5::text)
        ORDER BY v.owner, v.peer
        ON CONFLICT (app_id, owner, peer) DO UPDATE SET
          unread = cv.unread + CASE WHEN excluded.unread = 1 AND cv.read_upto_id < (SELECT id FROM n)
            AND cv.read_time < $8::bigint THEN 1 ELSE 0 END,
          last_msg_id = greatest(cv.last_msg_id, excluded.last_msg_id), updated_at = excluded.updated_at
        RETURNING cv.owner, cv.peer, cv.read_upto_id, cv.read_time),
      a AS (UPDATE accounts SET unread_total = unread_total + 1 WHERE app_id = $1 AND user_id = $5 AND $12::int = 1
          AND (SELECT count(*) FROM c, n WHERE c.owner = $5 AND c.peer = $4 AND c.read_upto_id < n.id
            AND c.read_time < $8::bigint) > 0
        RETURNING unread_total)
      SELECT m.id, m.msg_key, coalesce((SELECT unread_total FROM a),
        (SELECT unread_total FROM accounts WHERE app_id = $1 AND user_id = $5)) AS total FROM m`,
  },
  /** (app, key, from, to): the parties and the message, its row locked (lock 1). */
  lockForRecall: {
    name: 'rw_msg_lock_for_recall',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS from_ok,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $4) AS to_ok, m.*
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE app_id = $1 AND msg_key = $2 AND from_account = $3 AND to_account = $4 FOR UPDATE) AS m ON true`,
  },
  /**
   * (id, app, to, from, counts, time): recalls a locked message; if it was unread by the rule on the locked
   * conversation row, the conversation and the account drop by one (locks 2 then 3). Returns the recipient's total.
   */
  recall: {
    name: 'rw_msg_recall',
    text: `WITH r AS (UPDATE messages SET recalled = 1 WHERE id = $1),
      c AS (UPDATE conversations SET unread = unread - 1 WHERE app_id = $2 AND owner = $3 AND peer = $4
          AND $5::int = 1 AND read_upto_id < $1 AND read_time < $6::bigint RETURNING 1),
      a AS (UPDATE accounts SET unread_total = unread_total - 1 WHERE app_id = $2 AND user_id = $3
          AND EXISTS (SELECT 1 FROM c) RETURNING unread_total)
      SELECT coalesce((SELECT unread_total FROM a),
        (SELECT unread_total FROM accounts WHERE app_id = $2 AND user_id = $3)) AS total`,
  },
  /** The newest stored MsgTime (the node's clock floor at start). */
  maxTime: {
    name: 'rw_msg_max_time',
    text: `SELECT msg_time FROM messages ORDER BY id DESC LIMIT 1`,
  },
} satisfies Record<string, Sql>;
