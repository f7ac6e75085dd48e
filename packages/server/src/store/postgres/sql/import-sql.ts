import type { Sql } from '../pg-pool.ts';
import { MESSAGE_COLUMNS } from './message-sql.ts';

/**
 * What a history import (`Store.importMessage`) does before its insert (the send's `messageSql.store`).
 *
 * **Locks.** `lockKey` takes the advisory lock of the import's dedup key — the conversation (both directions) with
 * MsgSeq, MsgRandom and MsgTimeStamp — first and alone (lock 0 of the global order in `message-sql.ts`); `same`, a
 * later statement with a fresh snapshot, then sees every import of that key that committed before, so two nodes
 * importing one message store it once. The insert then takes locks 2 and 3 as a send does.
 */
export const importSql = {
  /** (app, a, b, seq, random, time): the dedup key's advisory lock (transaction-scoped). */
  lockKey: {
    name: 'rw_import_lock_key',
    text: `SELECT pg_advisory_xact_lock(hashtextextended('readwire-import:' || $1::bigint || ':' || least($2::text, $3::text)
      || ':' || greatest($2::text, $3::text) || ':' || $4::bigint || ':' || $5::bigint || ':' || $6::bigint, 0)) AS locked`,
  },
  /** (app, a, b, seq, random, time): the parties, and the first import of that key in the pair, either direction. */
  same: {
    name: 'rw_import_same',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $2) AS from_ok,
      EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $3) AS to_ok, m.*
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT ${MESSAGE_COLUMNS}, read_receipt_at FROM messages
        WHERE app_id = $1 AND msg_seq = $4 AND msg_random = $5 AND msg_time = $6
          AND ((from_account = $2 AND to_account = $3) OR (from_account = $3 AND to_account = $2))
        ORDER BY id LIMIT 1) AS m ON true`,
  },
} satisfies Record<string, Sql>;
