import type { BatchSendResult, NewMessage } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { SqliteContext } from '../sqlite-context.ts';
import { insertMessage } from './send-message-op.ts';

/**
 * The whole `batchsendmsg` write: one MsgKey and MsgTime for every recipient, one stored message (own id) per
 * existing recipient (a recipient named twice gets one copy, since a recall by MsgKey could reach only one);
 * unknown recipients are listed with 70107 instead.
 */
export function batchSendOp(
  ctx: SqliteContext,
  appId: number,
  to: string[],
  message: NewMessage,
  nowMs: number,
): BatchSendResult {
  if (ctx.accounts.exists.get(appId, message.from) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
  const msgTime = ctx.messageTime(nowMs);
  const firstId = ctx.allocateId();
  const msgKey = `${firstId}_${message.msgRandom}_${msgTime}`;
  const result: BatchSendResult = { msgKey, msgTime, sent: [], errors: [] };
  let id = firstId;
  for (const recipient of new Set(to)) {
    if (ctx.accounts.exists.get(appId, recipient) === undefined) {
      result.errors.push({ to: recipient, errorCode: 70107 });
      continue;
    }
    if (id === 0) id = ctx.allocateId();
    result.sent.push(insertMessage(ctx, appId, recipient, message, id, msgKey, msgTime, nowMs));
    id = 0;
  }
  return result;
}
