import type { DeleteConversationRequest, DeleteConversationResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/**
 * Deletes `owner`'s conversation with `peer` from the owner's list (see `Store.deleteConversation`). Unknown owner →
 * ACCOUNT_NOT_IMPORTED; no conversation → nothing changes (`existed: false`).
 */
export function deleteConversationOp(
  ctx: SqliteContext,
  appId: number,
  r: DeleteConversationRequest,
  nowMs: number,
): DeleteConversationResult {
  const total = ctx.accounts.unreadTotal.get(appId, r.owner);
  if (total === undefined) throw new ImError('ACCOUNT_NOT_IMPORTED', 'From_Account is not an account');
  const unread = ctx.conversationDelete.unread.get(appId, r.owner, r.peer);
  if (unread === undefined) return { owner: r.owner, peer: r.peer, existed: false, unreadTotal: total };
  const head = ctx.conversationDelete.head.get({ app: appId, a: r.owner, b: r.peer }) ?? 0;
  ctx.conversationDelete.hide.run({
    app: appId,
    owner: r.owner,
    peer: r.peer,
    head,
    clear: r.clearHistory ? 1 : 0,
    now: nowMs,
  });
  if (unread > 0) ctx.conversationDelete.dropTotal.run(unread, appId, r.owner);
  return { owner: r.owner, peer: r.peer, existed: true, unreadTotal: total - unread };
}
