import type { KickResult } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import type { PgTx } from '../pg-pool.ts';
import { kickSql } from '../sql/kick-sql.ts';

/** Kicks an account: its UserSigs issued up to this second stop logging in. Unknown account → ACCOUNT_NOT_IMPORTED. */
export async function kickAccountOp(tx: PgTx, appId: number, userId: string, nowMs: number): Promise<KickResult> {
  const row = await tx.row<{ sigs_valid_after: number }>(kickSql.stamp, [Math.floor(nowMs / 1000), appId, userId]);
  if (!row) throw new ImError('ACCOUNT_NOT_IMPORTED');
  return { userId, sigsValidAfter: row.sigs_valid_after };
}
