import type { ReadReport, ReadResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { SharedStep } from '../pg-write-batch.ts';
import { conversationSql } from '../sql/conversation-sql.ts';

/** A row of `read_reports`. */
export interface ReportRow {
  o_status: 'ok' | 'from' | 'to';
  o_last_read_time: number;
  o_unread: number;
  o_total: number;
  o_advanced: boolean;
}

/**
 * A read report (the same rule as SQLite's `setReadOp`) as one row of `read_reports` (`conversationSql.reports`),
 * which a group commit's reports share: the watermark is `read_upto_id` (every message stored before a report without
 * MsgReadTime) and `read_time` (MsgReadTime), both only growing; the count is recounted above them and the account
 * total moves by the difference. The conversation row is locked before anything is read.
 */
export function readReportStep(appId: number, r: ReadReport): SharedStep {
  return { sql: conversationSql.reports, args: [appId, r.reporter, r.peer, r.readTime ?? null] };
}

/** The report's result from its row of `read_reports`; throws for an unknown reporter or peer (roll back). */
export function readReportResult(r: ReadReport, row: ReportRow): ReadResult {
  if (row.o_status === 'from') throw new ImError('FROM_ACCOUNT_INVALID', 'Report_Account does not exist');
  if (row.o_status === 'to') throw new ImError('TO_ACCOUNT_INVALID', 'Peer_Account does not exist');
  return {
    reporter: r.reporter,
    peer: r.peer,
    lastReadTime: row.o_last_read_time,
    conversationUnread: row.o_unread,
    unreadTotal: row.o_total,
    advanced: row.o_advanced,
  };
}
