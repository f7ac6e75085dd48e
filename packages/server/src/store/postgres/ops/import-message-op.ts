import type { NewMessage, SendResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../../sqlite/message-row.ts';
import type { MessageRow } from '../../sqlite/sql/message-statements.ts';
import type { PgTx } from '../pg-pool.ts';
import { accountSql } from '../sql/account-sql.ts';
import { importSql } from '../sql/import-sql.ts';
import { checkParties, insertMessage } from './send-message-op.ts';

type SameRow = { from_ok: boolean; to_ok: boolean } & Omit<MessageRow, 'id'> & { id: number | null };

/**
 * A history import (the same rule as SQLite's `importMessageOp`): stores the message with the MsgTime it had
 * (`msgTime`, seconds, not in the future) and updates the conversation and counts as a send does. The same MsgSeq +
 * MsgRandom + MsgTimeStamp in the same conversation, in either direction, is a duplicate (under the key's advisory
 * lock, `import-sql.ts`): the first import wins and nothing changes.
 */
export async function importMessageOp(
  tx: PgTx,
  appId: number,
  to: string,
  m: NewMessage,
  msgTime: number,
  nowMs: number,
): Promise<SendResult> {
  const key = [appId, m.from, to, m.msgSeq, m.msgRandom, msgTime];
  await tx.rows(importSql.lockKey, key);
  const row = await tx.row<SameRow>(importSql.same, key);
  checkParties(row);
  if (msgTime > Math.floor(nowMs / 1000)) throw new ImError('MSG_TIMESTAMP_INVALID', 'MsgTimeStamp is in the future');
  if (row!.id !== null) {
    const total = await tx.row<{ unread_total: number }>(accountSql.total, [appId, to]);
    return {
      message: toStoredMessage(row as MessageRow),
      duplicate: true,
      recipientUnreadTotal: total?.unread_total ?? 0,
    };
  }
  return insertMessage(tx, appId, to, { ...m, onlineOnly: false }, msgTime, nowMs);
}
