import type { ModifyRequest, ModifyResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../message-row.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/**
 * A message edit: replaces the body and/or CloudCustomData of the message `from` sent `to` with this MsgKey. Unknown
 * accounts → FROM_ACCOUNT_INVALID / TO_ACCOUNT_INVALID; unknown or recalled message → MSG_KEY_INVALID. Counts do not
 * change.
 */
export function modifyMessageOp(ctx: SqliteContext, appId: number, r: ModifyRequest): ModifyResult {
  if (ctx.accounts.exists.get(appId, r.from) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
  if (ctx.accounts.exists.get(appId, r.to) === undefined) throw new ImError('TO_ACCOUNT_INVALID');
  const row = ctx.messages.byKey.get(appId, r.msgKey, r.from, r.to);
  if (!row) throw new ImError('MSG_KEY_INVALID');
  if (row.recalled === 1) throw new ImError('MSG_KEY_INVALID', 'the message was recalled');
  const body = r.body === undefined ? row.body : JSON.stringify(r.body);
  const cloudCustomData = r.cloudCustomData ?? row.cloud_custom_data;
  ctx.modify.setContent.run(body, cloudCustomData, row.id);
  return { message: toStoredMessage({ ...row, body, cloud_custom_data: cloudCustomData }), operator: r.operator };
}
