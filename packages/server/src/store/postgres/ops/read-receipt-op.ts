import type { ReadReceiptRequest, ReadReceiptResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../../sqlite/message-row.ts';
import type { MessageRow } from '../../sqlite/sql/message-statements.ts';
import type { PgTx } from '../pg-pool.ts';
import { receiptSql } from '../sql/receipt-sql.ts';

type FoundRow = { reader_ok: boolean; peer_ok: boolean } & Omit<MessageRow, 'id'> & { id: number | null };

/**
 * Per-message read receipts (the same rule as SQLite's `readReceiptOp`): `reader` acknowledges messages `peer` sent
 * it. Unknown reader → FROM_ACCOUNT_INVALID, unknown peer → TO_ACCOUNT_INVALID, a MsgKey that is not a message from
 * peer to reader → MSG_KEY_INVALID (nothing written). Returns, in request order, the messages this call stamped.
 */
export async function readReceiptOp(
  tx: PgTx,
  appId: number,
  r: ReadReceiptRequest,
  nowMs: number,
): Promise<ReadReceiptResult> {
  const rows = await tx.rows<FoundRow>(receiptSql.find, [appId, r.reader, r.peer, r.msgKeys]);
  if (!rows[0]?.reader_ok) throw new ImError('FROM_ACCOUNT_INVALID');
  if (!rows[0].peer_ok) throw new ImError('TO_ACCOUNT_INVALID');
  const byKey = new Map<string, MessageRow>();
  for (const row of rows) if (row.id !== null && !byKey.has(row.msg_key)) byKey.set(row.msg_key, row as MessageRow);
  const found = r.msgKeys.map((key) => {
    const row = byKey.get(key);
    if (!row) throw new ImError('MSG_KEY_INVALID', `MsgKey ${key} is not a message from ${r.peer} to ${r.reader}`);
    return row;
  });
  const stamped = new Set(
    (await tx.rows<{ id: number }>(receiptSql.mark, [[...new Set(found.map((m) => m.id))], nowMs])).map((s) => s.id),
  );
  const result: ReadReceiptResult = { reader: r.reader, peer: r.peer, receipted: [] };
  for (const row of found) {
    if (!stamped.delete(row.id)) continue;
    result.receipted.push(toStoredMessage({ ...row, read_receipt_at: nowMs }));
  }
  return result;
}
