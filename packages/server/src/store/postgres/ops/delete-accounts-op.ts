import type { DeleteAccountsResult } from '../../../domain/types.ts';
import type { PgTx } from '../pg-pool.ts';
import { accountDeleteSql } from '../sql/account-delete-sql.ts';

/**
 * Deletes accounts with their own conversations (the same rule as SQLite's `deleteAccountsOp`), locking in the global
 * order (`account-delete-sql.ts`); ids that are not accounts are listed in `missing`, both lists in request order.
 */
export async function deleteAccountsOp(tx: PgTx, appId: number, userIds: string[]): Promise<DeleteAccountsResult> {
  const ids = [...new Set(userIds)];
  await tx.rows(accountDeleteSql.lockConversations, [appId, ids]);
  await tx.count(accountDeleteSql.conversations, [appId, ids]);
  const gone = new Set(
    (await tx.rows<{ user_id: string }>(accountDeleteSql.accounts, [appId, ids])).map((r) => r.user_id),
  );
  return { deleted: ids.filter((id) => gone.has(id)), missing: ids.filter((id) => !gone.has(id)) };
}
