import type { ReadReport, ReadResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/**
 * A read report. The watermark is two fields that only grow: `read_upto_id` (every message stored before a report
 * without MsgReadTime — an id, so a message stored later in the same second stays unread) and `read_time` (MsgReadTime:
 * every message with `msg_time <= read_time`). The conversation's unread count is recounted over the ids above the
 * watermark — none in the common "read everything" case — and the delta is applied to the account's total.
 */
export function setReadOp(ctx: SqliteContext, appId: number, r: ReadReport, nowMs: number): ReadResult {
  // The reporter's row doubles as its existence check; its total is the answer when the count does not change.
  const old = ctx.conversations.readState.get(appId, r.reporter, r.peer);
  if (old === undefined) throw new ImError('FROM_ACCOUNT_INVALID', 'Report_Account does not exist');
  const [totalBefore, peerExists, hasConv, oldUnread, oldUpto, oldReadTime, oldLastReadTime, oldHead] = old;
  if (peerExists === 0) throw new ImError('TO_ACCOUNT_INVALID', 'Peer_Account does not exist');
  const head = oldHead ?? 0;
  const nowS = Math.floor(nowMs / 1000);
  let upto = oldUpto;
  let readTime = oldReadTime;
  let lastReadTime: number;
  if (r.readTime === undefined) {
    upto = Math.max(upto, head);
    lastReadTime = Math.max(oldLastReadTime, nowS);
  } else {
    readTime = Math.max(readTime, r.readTime);
    lastReadTime = Math.max(oldLastReadTime, r.readTime);
  }
  const unread = upto >= head ? 0 : (ctx.messages.countUnread.get(appId, r.reporter, r.peer, upto, readTime) ?? 0);
  const advanced = upto !== oldUpto || readTime !== oldReadTime || lastReadTime !== oldLastReadTime || hasConv === 0;
  ctx.conversations.setRead.run(appId, r.reporter, r.peer, unread, upto, readTime, lastReadTime, nowMs);
  const delta = unread - oldUnread;
  const unreadTotal = delta !== 0 ? (ctx.accounts.addUnread.get(delta, appId, r.reporter) ?? 0) : totalBefore;
  return {
    reporter: r.reporter,
    peer: r.peer,
    lastReadTime,
    conversationUnread: unread,
    unreadTotal,
    advanced,
  };
}
