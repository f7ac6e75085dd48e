import type { ReadAllRequest, ReadAllResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { PgTx } from '../pg-pool.ts';
import { accountSql } from '../sql/account-sql.ts';
import { readAllSql } from '../sql/read-all-sql.ts';
import { setReadOp } from './set-read-op.ts';

/**
 * Read-all (the same rule as SQLite's `readAllOp`): a read report (everything stored so far) on every conversation of
 * `reporter` that has unread messages, in one transaction, so the total ends at 0. The conversation rows are locked
 * first, in key order (`read-all-sql.ts`). Unknown reporter → FROM_ACCOUNT_INVALID.
 */
export async function readAllOp(tx: PgTx, appId: number, r: ReadAllRequest, nowMs: number): Promise<ReadAllResult> {
  const rows = await tx.rows<{ owner_ok: boolean; peer: string | null }>(readAllSql.lockUnread, [appId, r.reporter]);
  if (!rows[0]?.owner_ok) throw new ImError('FROM_ACCOUNT_INVALID');
  const conversations = [];
  for (const { peer } of rows) {
    if (peer === null) continue;
    conversations.push(await setReadOp(tx, appId, { reporter: r.reporter, peer, origin: r.origin }, nowMs));
  }
  const unreadTotal =
    conversations.at(-1)?.unreadTotal ??
    (await tx.row<{ unread_total: number }>(accountSql.total, [appId, r.reporter]))?.unread_total ??
    0;
  return { reporter: r.reporter, conversations, unreadTotal };
}
