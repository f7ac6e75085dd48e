import type { Database, Statement } from 'better-sqlite3';

/**
 * The kick stamp (`Store.kickAccount`, `Store.sigsValidAfter`). The write runs inside the write transaction and only
 * moves the stamp forward; the read is a primary-key lookup on `accounts`.
 */
export interface KickStatements {
  /** Bound as (seconds, app, user); `changes` 0 = no such account. */
  stamp: Statement<[number, number, string]>;
  /** Bound as (app, user); undefined = no such account. */
  validAfter: Statement<[number, string], number>;
}

/** Prepares the kick statements once per connection. */
export function prepareKickStatements(db: Database): KickStatements {
  return {
    stamp: db.prepare<[number, number, string]>(
      `UPDATE accounts SET sigs_valid_after = max(sigs_valid_after, ?) WHERE app_id = ? AND user_id = ?`,
    ),
    validAfter: db
      .prepare(`SELECT sigs_valid_after FROM accounts WHERE app_id = ? AND user_id = ?`)
      .pluck() as Statement<[number, string], number>,
  };
}
