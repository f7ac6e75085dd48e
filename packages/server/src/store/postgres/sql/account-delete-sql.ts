import type { Sql } from '../pg-pool.ts';

/**
 * Account deletion (`Store.deleteAccounts`): the accounts' own conversation rows (their unread counts and read
 * watermarks), then the account rows (their totals). Messages, the peers' conversations, the sync log and callback
 * events are not touched.
 *
 * **Locks**, in the global order of `message-sql.ts`: `lockConversations` locks the conversation rows of every
 * account to delete in (owner, peer) order (lock 2), `conversations` deletes them, then `accounts` deletes the
 * account rows in user-id order (lock 3).
 */
export const accountDeleteSql = {
  /** (app, users[]): locks the users' own conversation rows, in key order. */
  lockConversations: {
    name: 'rw_account_delete_lock_conversations',
    text: `SELECT 1 FROM conversations WHERE app_id = $1 AND owner = ANY($2::text[]) ORDER BY owner, peer FOR UPDATE`,
  },
  /** (app, users[]): deletes the conversations owned by those of the users that are accounts. */
  conversations: {
    name: 'rw_account_delete_conversations',
    text: `DELETE FROM conversations c WHERE c.app_id = $1 AND c.owner = ANY($2::text[])
      AND EXISTS (SELECT 1 FROM accounts a WHERE a.app_id = $1 AND a.user_id = c.owner)`,
  },
  /** (app, users[]): deletes the account rows (locked in user-id order); returns the ids deleted. */
  accounts: {
    name: 'rw_account_delete_accounts',
    text: `DELETE FROM accounts WHERE app_id = $1 AND user_id IN (SELECT user_id FROM accounts
        WHERE app_id = $1 AND user_id = ANY($2::text[]) ORDER BY user_id FOR UPDATE)
      RETURNING user_id`,
  },
} satisfies Record<string, Sql>;
