import type { Database, Statement } from 'better-sqlite3';

/**
 * The writes of an account deletion (`Store.deleteAccounts`), inside the write transaction: the account's own
 * conversation rows (its unread counts and read watermarks; a primary-key prefix of `conversations`), then the account
 * row (its total). Messages, peers' conversations, the sync log and callback events are not touched.
 */
export interface AccountDeleteStatements {
  /** Bound as (app, owner). */
  conversations: Statement<[number, string]>;
  /** Bound as (app, user); `changes` 0 = no such account. */
  account: Statement<[number, string]>;
}

/** Prepares the account-deletion statements once per connection. */
export function prepareAccountDeleteStatements(db: Database): AccountDeleteStatements {
  return {
    conversations: db.prepare<[number, string]>(`DELETE FROM conversations WHERE app_id = ? AND owner = ?`),
    account: db.prepare<[number, string]>(`DELETE FROM accounts WHERE app_id = ? AND user_id = ?`),
  };
}
