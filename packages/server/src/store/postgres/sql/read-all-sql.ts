import type { Sql } from '../pg-pool.ts';

/**
 * What a read-all (`Store.setReadAll`) does before its read reports.
 *
 * **Locks.** `lockUnread` locks the reporter's conversation rows that have unread messages, in (owner, peer) order
 * (lock 2 of the global order in `message-sql.ts`), before any account row: the read reports that follow (one per
 * locked row, `conversation-sql.ts`) then lock only the reporter's account row (lock 3). A conversation that gets its
 * first unread message after this statement is a message arriving after the read-all: it stays unread.
 */
export const readAllSql = {
  /** (app, owner): whether the owner is an account, and its conversations with unread messages, locked, in key order. */
  lockUnread: {
    name: 'rw_read_all_lock_unread',
    text: `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $2) AS owner_ok, c.peer
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT peer FROM conversations
        WHERE app_id = $1 AND owner = $2 AND unread > 0 ORDER BY peer FOR UPDATE) AS c ON true`,
  },
} satisfies Record<string, Sql>;
