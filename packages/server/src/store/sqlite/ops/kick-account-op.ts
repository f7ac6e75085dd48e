import type { KickResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { SqliteContext } from '../sqlite-context.ts';

/** Kicks an account: its UserSigs issued up to this second stop logging in. Unknown account → ACCOUNT_NOT_IMPORTED. */
export function kickAccountOp(ctx: SqliteContext, appId: number, userId: string, nowMs: number): KickResult {
  const seconds = Math.floor(nowMs / 1000);
  if (ctx.kicks.stamp.run(seconds, appId, userId).changes === 0) throw new ImError('ACCOUNT_NOT_IMPORTED');
  return { userId, sigsValidAfter: ctx.kicks.validAfter.get(appId, userId) ?? seconds };
}
