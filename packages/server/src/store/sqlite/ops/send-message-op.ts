import type { NewMessage, SendResult, StoredMessage } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../message-row.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/** Checks that both accounts exist; throws the `sendmsg` codes (90008 sender, 90003 recipient). */
export function requireParties(ctx: SqliteContext, appId: number, from: string, to: string): void {
  if (ctx.accounts.exists.get(appId, from) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
  if (ctx.accounts.exists.get(appId, to) === undefined) throw new ImError('TO_ACCOUNT_INVALID');
}

/**
 * Stores one message to `to` with the given id/key/time and updates counts. Must run inside a write transaction.
 * The message counts as unread when it counts at all and is newer than the recipient's read time.
 */
export function insertMessage(
  ctx: SqliteContext,
  appId: number,
  to: string,
  m: NewMessage,
  id: number,
  msgKey: string,
  msgTime: number,
  nowMs: number,
): SendResult {
  const stored: StoredMessage = {
    id,
    msgKey,
    from: m.from,
    to,
    msgSeq: m.msgSeq,
    msgRandom: m.msgRandom,
    msgTime,
    body: m.body,
    cloudCustomData: m.cloudCustomData ?? '',
    recalled: false,
    countsUnread: m.countsUnread,
    syncOtherMachine: m.syncOtherMachine,
    readReceipt: false,
  };
  if (m.onlineOnly) {
    // Not stored, never counts (OnlineOnlyFlag = 1).
    return { message: stored, duplicate: false, recipientUnreadTotal: ctx.accounts.unreadTotal.get(appId, to) ?? 0 };
  }
  ctx.messages.insert.run({
    id,
    app: appId,
    key: msgKey,
    from: m.from,
    to,
    seq: m.msgSeq,
    random: m.msgRandom,
    time: msgTime,
    crc: m.contentCrc,
    body: JSON.stringify(m.body),
    ccd: m.cloudCustomData ?? '',
    counts: m.countsUnread ? 1 : 0,
    sync: m.syncOtherMachine,
    life: m.lifeTime,
    now: nowMs,
  });
  const recipientConv = ctx.conversations.get.get(appId, to, m.from);
  const counted = m.countsUnread && msgTime > (recipientConv?.read_time ?? 0) ? 1 : 0;
  const last = m.noLastMsg ? 0 : id;
  ctx.conversations.onMessage.run({ app: appId, owner: to, peer: m.from, unread: counted, last, now: nowMs });
  if (m.from !== to) {
    ctx.conversations.onMessage.run({ app: appId, owner: m.from, peer: to, unread: 0, last, now: nowMs });
  }
  const total = counted
    ? (ctx.accounts.addUnread.get(counted, appId, to) ?? 0)
    : (ctx.accounts.unreadTotal.get(appId, to) ?? 0);
  return { message: stored, duplicate: false, recipientUnreadTotal: total };
}

/** The whole `sendmsg` write: existence checks, 120 s duplicate suppression (per sender and recipient), insert, counts. */
export function sendMessageOp(
  ctx: SqliteContext,
  appId: number,
  to: string,
  m: NewMessage,
  dedupWindowSeconds: number,
  nowMs: number,
): SendResult {
  requireParties(ctx, appId, m.from, to);
  const msgTime = ctx.messageTime(nowMs);
  if (!m.onlineOnly && dedupWindowSeconds > 0) {
    const dup = ctx.messages.dedup.get(
      appId,
      m.from,
      m.msgRandom,
      to,
      m.msgSeq,
      m.contentCrc,
      msgTime - dedupWindowSeconds,
    );
    if (dup) {
      return {
        message: toStoredMessage(dup),
        duplicate: true,
        recipientUnreadTotal: ctx.accounts.unreadTotal.get(appId, dup.to_account) ?? 0,
      };
    }
  }
  const id = ctx.allocateId();
  return insertMessage(ctx, appId, to, m, id, `${id}_${m.msgRandom}_${msgTime}`, msgTime, nowMs);
}
