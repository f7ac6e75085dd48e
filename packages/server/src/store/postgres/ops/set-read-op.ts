import type { ReadReport, ReadResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { PgTx } from '../pg-pool.ts';
import { conversationSql } from '../sql/conversation-sql.ts';

interface ConvRow {
  unread: number;
  read_upto_id: number;
  read_time: number;
  last_read_time: number;
}

/**
 * A read report (the same rule as SQLite's `setReadOp`): the watermark is `read_upto_id` (every message stored
 * before a report without MsgReadTime) and `read_time` (MsgReadTime), both only growing; the count is recounted
 * above them and the account total moves by the difference. The conversation row is locked before anything is
 * read (see `conversation-sql.ts`).
 */
export async function setReadOp(tx: PgTx, appId: number, r: ReadReport, nowMs: number): Promise<ReadResult> {
  const key = [appId, r.reporter, r.peer];
  let conv = await tx.row<ConvRow>(conversationSql.lock, key);
  const existed = conv !== undefined;
  if (!conv) {
    await tx.count(conversationSql.create, [...key, nowMs]);
    conv = (await tx.row<ConvRow>(conversationSql.lock, key))!;
  }
  const nowS = Math.floor(nowMs / 1000);
  const readTime = r.readTime === undefined ? conv.read_time : Math.max(conv.read_time, r.readTime);
  const state = await tx.row<{ total: number | null; peer_ok: boolean; head: number; unread: number }>(
    conversationSql.state,
    [...key, conv.read_upto_id, readTime],
  );
  if (state?.total === null || state?.total === undefined) {
    throw new ImError('FROM_ACCOUNT_INVALID', 'Report_Account does not exist');
  }
  if (!state.peer_ok) throw new ImError('TO_ACCOUNT_INVALID', 'Peer_Account does not exist');
  let upto = conv.read_upto_id;
  let lastReadTime: number;
  let unread: number;
  if (r.readTime === undefined) {
    upto = Math.max(upto, state.head);
    lastReadTime = Math.max(conv.last_read_time, nowS);
    unread = 0;
  } else {
    lastReadTime = Math.max(conv.last_read_time, r.readTime);
    unread = state.unread;
  }
  const advanced =
    upto !== conv.read_upto_id || readTime !== conv.read_time || lastReadTime !== conv.last_read_time || !existed;
  const delta = unread - conv.unread;
  const moved = await tx.row<{ unread_total: number }>(conversationSql.write, [
    ...key,
    unread,
    upto,
    readTime,
    lastReadTime,
    nowMs,
    delta,
  ]);
  return {
    reporter: r.reporter,
    peer: r.peer,
    lastReadTime,
    conversationUnread: unread,
    unreadTotal: moved?.unread_total ?? state.total,
    advanced,
  };
}
