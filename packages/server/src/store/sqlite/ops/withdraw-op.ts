import type { WithdrawRequest, WithdrawResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../message-row.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/** Recalls a message; if it was counting as unread, the recipient's conversation and total drop by one. Idempotent. */
export function withdrawOp(ctx: SqliteContext, appId: number, w: WithdrawRequest): WithdrawResult {
  if (ctx.accounts.exists.get(appId, w.from) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
  if (ctx.accounts.exists.get(appId, w.to) === undefined) throw new ImError('TO_ACCOUNT_INVALID');
  const row = ctx.messages.byKey.get(appId, w.msgKey, w.from, w.to);
  if (!row) throw new ImError('MSG_KEY_INVALID');
  let total = ctx.accounts.unreadTotal.get(appId, w.to) ?? 0;
  if (row.recalled === 0) {
    ctx.messages.recall.run(row.id);
    const conv = ctx.conversations.get.get(appId, w.to, w.from);
    const wasUnread =
      row.counts_unread === 1 && conv !== undefined && row.id > conv.read_upto_id && row.msg_time > conv.read_time;
    if (wasUnread) {
      ctx.conversations.addUnread.run(-1, appId, w.to, w.from);
      total = ctx.accounts.addUnread.get(-1, appId, w.to) ?? 0;
    }
  }
  const message = toStoredMessage({ ...row, recalled: 1 });
  return { message, recipientUnreadTotal: total, alreadyRecalled: row.recalled === 1 };
}
