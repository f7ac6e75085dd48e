import type { DeleteConversationRequest, DeleteConversationResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { PgTx } from '../pg-pool.ts';
import { conversationDeleteSql } from '../sql/conversation-delete-sql.ts';

/**
 * Deletes `owner`'s conversation with `peer` from the owner's list (see `Store.deleteConversation`), its row locked
 * first (`conversation-delete-sql.ts`). Unknown owner → ACCOUNT_NOT_IMPORTED; no conversation → nothing changes.
 */
export async function deleteConversationOp(
  tx: PgTx,
  appId: number,
  r: DeleteConversationRequest,
  nowMs: number,
): Promise<DeleteConversationResult> {
  const row = await tx.row<{ total: number | null; unread: number | null }>(conversationDeleteSql.lock, [
    appId,
    r.owner,
    r.peer,
  ]);
  if (row?.total === null || row?.total === undefined) {
    throw new ImError('ACCOUNT_NOT_IMPORTED', 'From_Account is not an account');
  }
  if (row.unread === null) return { owner: r.owner, peer: r.peer, existed: false, unreadTotal: row.total };
  const head = (await tx.row<{ head: number }>(conversationDeleteSql.head, [appId, r.owner, r.peer]))?.head ?? 0;
  const moved = await tx.row<{ unread_total: number }>(conversationDeleteSql.hide, [
    appId,
    r.owner,
    r.peer,
    head,
    r.clearHistory,
    nowMs,
    row.unread,
  ]);
  return { owner: r.owner, peer: r.peer, existed: true, unreadTotal: moved?.unread_total ?? row.total };
}
