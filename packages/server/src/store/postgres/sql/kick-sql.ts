import type { Sql } from '../pg-pool.ts';

/**
 * The kick stamp (`Store.kickAccount`, `Store.sigsValidAfter`).
 *
 * **Locks.** `stamp` locks the account row (lock 3 of the global order in `message-sql.ts`) and only moves the stamp
 * forward (`greatest`), so kicks on two nodes keep the later one; `validAfter` is a primary-key read without locks.
 */
export const kickSql = {
  /** (seconds, app, user): the new stamp; no row = no such account. */
  stamp: {
    name: 'rw_kick_stamp',
    text: `UPDATE accounts SET sigs_valid_after = greatest(sigs_valid_after, $1) WHERE app_id = $2 AND user_id = $3
      RETURNING sigs_valid_after`,
  },
  /** (app, user): the stamp; no row = no such account. */
  validAfter: {
    name: 'rw_kick_valid_after',
    text: `SELECT sigs_valid_after FROM accounts WHERE app_id = $1 AND user_id = $2`,
  },
} satisfies Record<string, Sql>;
