import type { NewMessage, SendResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../message-row.ts';
import type { SqliteContext } from '../sqlite-context.ts';
import { insertMessage, requireParties } from './send-message-op.ts';

/**
 * A history import (`importmsg`): stores the message with the MsgTime it had (`msgTime`, seconds, not in the
 * future) and updates the conversation and counts as a send does (a message counts as unread when
 * `message.countsUnread`). The same MsgSeq + MsgRandom + MsgTimeStamp in the same conversation, in either direction,
 * is a duplicate: the first import wins and nothing changes.
 */
export function importMessageOp(
  ctx: SqliteContext,
  appId: number,
  to: string,
  m: NewMessage,
  msgTime: number,
  nowMs: number,
): SendResult {
  requireParties(ctx, appId, m.from, to);
  if (msgTime > Math.floor(nowMs / 1000)) throw new ImError('MSG_TIMESTAMP_INVALID', 'MsgTimeStamp is in the future');
  const dup = ctx.imports.sameImport.get({
    app: appId,
    a: m.from,
    b: to,
    seq: m.msgSeq,
    random: m.msgRandom,
    time: msgTime,
  });
  if (dup) {
    return {
      message: toStoredMessage(dup),
      duplicate: true,
      recipientUnreadTotal: ctx.accounts.unreadTotal.get(appId, to) ?? 0,
    };
  }
  const id = ctx.allocateId();
  return insertMessage(
    ctx,
    appId,
    to,
    { ...m, onlineOnly: false },
    id,
    `${id}_${m.msgRandom}_${msgTime}`,
    msgTime,
    nowMs,
  );
}
