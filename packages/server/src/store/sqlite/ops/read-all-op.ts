import type { ReadAllRequest, ReadAllResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { SqliteContext } from '../sqlite-context.ts';
import { setReadOp } from './set-read-op.ts';

/**
 * Read-all: a read report (everything stored so far) on every conversation of `reporter` that has unread messages,
 * in one transaction, so the total ends at 0. Unknown reporter → FROM_ACCOUNT_INVALID.
 */
export function readAllOp(ctx: SqliteContext, appId: number, r: ReadAllRequest, nowMs: number): ReadAllResult {
  if (ctx.accounts.exists.get(appId, r.reporter) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
  const conversations = ctx.readAll.unreadPeers
    .all(appId, r.reporter)
    .map((peer) => setReadOp(ctx, appId, { reporter: r.reporter, peer, origin: r.origin }, nowMs));
  const unreadTotal = conversations.at(-1)?.unreadTotal ?? ctx.accounts.unreadTotal.get(appId, r.reporter) ?? 0;
  return { reporter: r.reporter, conversations, unreadTotal };
}
