import type { ModifyRequest, ModifyResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../../sqlite/message-row.ts';
import type { MessageRow } from '../../sqlite/sql/message-statements.ts';
import type { PgTx } from '../pg-pool.ts';
import { modifySql } from '../sql/modify-sql.ts';
import { checkParties } from './send-message-op.ts';

type LockedRow = { from_ok: boolean; to_ok: boolean } & Omit<MessageRow, 'id'> & { id: number | null };

/**
 * A message edit (the same rule as SQLite's `modifyMessageOp`): replaces the body and/or CloudCustomData of the
 * message `from` sent `to` with this MsgKey, its row locked first (`modify-sql.ts`). Unknown accounts →
 * FROM_ACCOUNT_INVALID / TO_ACCOUNT_INVALID; unknown or recalled message → MSG_KEY_INVALID. Counts do not change.
 */
export async function modifyMessageOp(tx: PgTx, appId: number, r: ModifyRequest): Promise<ModifyResult> {
  const row = await tx.row<LockedRow>(modifySql.lock, [appId, r.msgKey, r.from, r.to]);
  checkParties(row);
  if (row!.id === null) throw new ImError('MSG_KEY_INVALID');
  const message = row as MessageRow;
  if (message.recalled === 1) throw new ImError('MSG_KEY_INVALID', 'the message was recalled');
  const body = r.body === undefined ? message.body : JSON.stringify(r.body);
  const cloudCustomData = r.cloudCustomData ?? message.cloud_custom_data;
  await tx.count(modifySql.setContent, [message.id, body, cloudCustomData]);
  return { message: toStoredMessage({ ...message, body, cloud_custom_data: cloudCustomData }), operator: r.operator };
}
