import type { WithdrawRequest, WithdrawResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../../sqlite/message-row.ts';
import type { MessageRow } from '../../sqlite/sql/message-statements.ts';
import type { PgTx } from '../pg-pool.ts';
import { accountSql } from '../sql/account-sql.ts';
import { messageSql } from '../sql/message-sql.ts';
import { checkParties } from './send-message-op.ts';

/**
 * Recalls a message (idempotent): its row is locked first (lock 1), then, when it was unread by the rule on the
 * recipient's locked conversation row, the conversation and the recipient's total drop by one (locks 2 and 3).
 */
export async function withdrawOp(tx: PgTx, appId: number, w: WithdrawRequest): Promise<WithdrawResult> {
  const row = await tx.row<{ from_ok: boolean; to_ok: boolean } & Omit<MessageRow, 'id'> & { id: number | null }>(
    messageSql.lockForRecall,
    [appId, w.msgKey, w.from, w.to],
  );
  checkParties(row);
  if (row!.id === null) throw new ImError('MSG_KEY_INVALID');
  const message = row as MessageRow;
  let total: number;
  if (message.recalled === 0) {
    const r = await tx.row<{ total: number | null }>(messageSql.recall, [
      message.id,
      appId,
      w.to,
      w.from,
      message.counts_unread,
      message.msg_time,
    ]);
    total = r?.total ?? 0;
  } else {
    total = (await tx.row<{ unread_total: number }>(accountSql.total, [appId, w.to]))?.unread_total ?? 0;
  }
  return {
    message: toStoredMessage({ ...message, recalled: 1 }),
    recipientUnreadTotal: total,
    alreadyRecalled: message.recalled === 1,
  };
}
