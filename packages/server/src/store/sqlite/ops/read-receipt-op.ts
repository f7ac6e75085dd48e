import type { ReadReceiptRequest, ReadReceiptResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../message-row.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/**
 * Per-message read receipts: `reader` acknowledges messages `peer` sent it. Unknown reader → FROM_ACCOUNT_INVALID,
 * unknown peer → TO_ACCOUNT_INVALID, a MsgKey that is not a message from peer to reader → MSG_KEY_INVALID (and
 * nothing is written). Counts and the read watermark do not move: a receipt is about messages, not the conversation.
 */
export function readReceiptOp(
  ctx: SqliteContext,
  appId: number,
  r: ReadReceiptRequest,
  nowMs: number,
): ReadReceiptResult {
  if (ctx.accounts.exists.get(appId, r.reader) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
  if (ctx.accounts.exists.get(appId, r.peer) === undefined) throw new ImError('TO_ACCOUNT_INVALID');
  const rows = r.msgKeys.map((key) => {
    const row = ctx.messages.byKey.get(appId, key, r.peer, r.reader);
    if (!row) throw new ImError('MSG_KEY_INVALID', `MsgKey ${key} is not a message from ${r.peer} to ${r.reader}`);
    return row;
  });
  const result: ReadReceiptResult = { reader: r.reader, peer: r.peer, receipted: [] };
  for (const row of rows) {
    if (ctx.receipts.mark.run(nowMs, row.id).changes === 0) continue;
    result.receipted.push(toStoredMessage({ ...row, read_receipt_at: nowMs }));
  }
  return result;
}
