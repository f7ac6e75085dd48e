import type { ReadAllRequest, ReadAllResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { PgTx } from '../pg-pool.ts';
import { accountSql } from '../sql/account-sql.ts';
import { conversationSql } from '../sql/conversation-sql.ts';
import { readAllSql } from '../sql/read-all-sql.ts';
import { readReportResult, type ReportRow } from './set-read-op.ts';

/**
 * Read-all (the same rule as SQLite's `readAllOp`): a read report (everything stored so far) on every conversation of
 * `reporter` that has unread messages, in one transaction, so the total ends at 0. The conversation rows are locked
 * first, in key order (`read-all-sql.ts`); then one `read_reports` call reports on all of them, in that order (each
 * row sees the reports before it, so the last row carries the final total). Unknown reporter → FROM_ACCOUNT_INVALID.
 */
export async function readAllOp(tx: PgTx, appId: number, r: ReadAllRequest, nowMs: number): Promise<ReadAllResult> {
  const rows = await tx.rows<{ owner_ok: boolean; peer: string | null }>(readAllSql.lockUnread, [appId, r.reporter]);
  if (!rows[0]?.owner_ok) throw new ImError('FROM_ACCOUNT_INVALID');
  const peers = rows.flatMap(({ peer }) => (peer === null ? [] : [peer]));
  const reported =
    peers.length === 0
      ? []
      : await tx.rows<ReportRow>(conversationSql.reports, [
          peers.map(() => appId),
          peers.map(() => r.reporter),
          peers,
          peers.map(() => null),
          nowMs,
        ]);
  const conversations = peers.map((peer, i) =>
    readReportResult({ reporter: r.reporter, peer, origin: r.origin }, reported[i]!),
  );
  const unreadTotal =
    conversations.at(-1)?.unreadTotal ??
    (await tx.row<{ unread_total: number }>(accountSql.total, [appId, r.reporter]))?.unread_total ??
    0;
  return { reporter: r.reporter, conversations, unreadTotal };
}
