import type { ReadReport, ReadResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { PgTx } from '../pg-pool.ts';
import { conversationSql } from '../sql/conversation-sql.ts';

interface StateRow {
  o_existed: boolean;
  o_unread: number;
  o_read_upto_id: number;
  o_read_time: number;
  o_last_read_time: number;
  o_total: number | null;
  o_peer_ok: boolean;
  o_head: number;
  o_counted: number;
}

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
  const st = (await tx.row<StateRow>(conversationSql.lockAndState, [...key, nowMs, r.readTime ?? null]))!;
  const conv: ConvRow = {
    unread: st.o_unread,
    read_upto_id: st.o_read_upto_id,
    read_time: st.o_read_time,
    last_read_time: st.o_last_read_time,
  };
  const existed = st.o_existed;
  const nowS = Math.floor(nowMs / 1000);
  const readTime = r.readTime === undefined ? conv.read_time : Math.max(conv.read_time, r.readTime);
  if (st.o_total === null) throw new ImError('FROM_ACCOUNT_INVALID', 'Report_Account does not exist');
  if (!st.o_peer_ok) throw new ImError('TO_ACCOUNT_INVALID', 'Peer_Account does not exist');
  const state = { total: st.o_total, head: st.o_head, unread: st.o_counted };
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
