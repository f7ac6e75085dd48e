import type { BatchSendResult, NewMessage, SendResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { PgTx } from '../pg-pool.ts';
import { accountSql } from '../sql/account-sql.ts';
import { messageSql } from '../sql/message-sql.ts';
import { insertMessage } from './send-message-op.ts';

/**
 * The whole `batchsendmsg` write: one MsgKey and MsgTime for every recipient, one stored message (own id, ascending in
 * the order recipients were named) per existing recipient, named twice or not; unknown recipients are listed with
 * 70107. Every conversation row of the batch is locked first, in (owner, peer) order, then the copies are written in
 * recipient user-id order (account rows): the global lock order of `message-sql.ts`.
 */
export async function batchSendOp(
  tx: PgTx,
  appId: number,
  to: string[],
  message: NewMessage,
  msgTime: number,
  nowMs: number,
): Promise<BatchSendResult> {
  const unique = [...new Set(to)];
  const known = new Set(
    (await tx.rows<{ user_id: string }>(accountSql.existing, [appId, [message.from, ...unique]])).map((r) => r.user_id),
  );
  if (!known.has(message.from)) throw new ImError('FROM_ACCOUNT_INVALID');
  const recipients = unique.filter((u) => known.has(u));
  const ids = (await tx.rows<{ id: number }>(messageSql.allocateIds, [Math.max(1, recipients.length)])).map(
    (r) => r.id,
  );
  const msgKey = `${ids[0]!}_${message.msgRandom}_${msgTime}`;
  const result: BatchSendResult = { msgKey, msgTime, sent: [], errors: [] };
  const byRecipient = new Map<string, SendResult>();
  if (!message.onlineOnly && recipients.length > 0) {
    const pairs = recipients.flatMap((r) =>
      r === message.from
        ? [[r, r]]
        : [
            [r, message.from],
            [message.from, r],
          ],
    );
    await tx.count(messageSql.lockConversations, [appId, pairs.map((p) => p[0]), pairs.map((p) => p[1]), nowMs]);
  }
  const order = recipients.map((r, i) => ({ r, id: ids[i]! })).sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
  for (const { r, id } of order) {
    byRecipient.set(r, await insertMessage(tx, appId, r, message, msgTime, nowMs, { id, msgKey }));
  }
  for (const recipient of unique) {
    const sent = byRecipient.get(recipient);
    if (sent) result.sent.push(sent);
    else result.errors.push({ to: recipient, errorCode: 70107 });
  }
  return result;
}
