import type { DeleteAccountsResult } from '../../../domain/types.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/** Deletes accounts with their own conversations; ids that are not accounts are listed in `missing`. */
export function deleteAccountsOp(ctx: SqliteContext, appId: number, userIds: string[]): DeleteAccountsResult {
  const result: DeleteAccountsResult = { deleted: [], missing: [] };
  for (const id of new Set(userIds)) {
    if (ctx.accountDelete.account.run(appId, id).changes === 0) {
      result.missing.push(id);
      continue;
    }
    ctx.accountDelete.conversations.run(appId, id);
    result.deleted.push(id);
  }
  return result;
}
