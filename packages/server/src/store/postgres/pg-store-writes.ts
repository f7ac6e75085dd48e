import { planEffects, type EffectResults } from '../../core/plan-effects.ts';
import type * as T from '../../domain/types.ts';
import type { EffectKind, EffectPlanOf } from '../effect-plan.ts';
import { batchSendOp } from './ops/batch-send-op.ts';
import { deleteAccountsOp } from './ops/delete-accounts-op.ts';
import { deleteConversationOp } from './ops/delete-conversation-op.ts';
import { importMessageOp } from './ops/import-message-op.ts';
import { kickAccountOp } from './ops/kick-account-op.ts';
import { modifyMessageOp } from './ops/modify-message-op.ts';
import { readAllOp } from './ops/read-all-op.ts';
import { readReceiptOp } from './ops/read-receipt-op.ts';
import { sendMessageOp } from './ops/send-message-op.ts';
import { readReportResult, readReportStep, type ReportRow } from './ops/set-read-op.ts';
import { withdrawOp } from './ops/withdraw-op.ts';
import type { PgWriteHub } from './pg-write-hub.ts';
import { accountSql } from './sql/account-sql.ts';
import { syncSql } from './sql/sync-sql.ts';

/** Sync-log entries pruned per transaction. */
const PRUNE_CHUNK = 5000;

/**
 * The writes of the PostgreSQL store (`PostgresStore` extends it): each goes through the node's write hub — one
 * transaction with its effects, shared with the node's concurrent writes (group commit) — and runs its op from `ops/`.
 */
export abstract class PgStoreWrites {
  protected readonly hub: PgWriteHub;
  private lastTime: number;

  /** @param lastTime - The highest MsgTime stored so far (message times never go below it). */
  protected constructor(hub: PgWriteHub, lastTime: number) {
    this.hub = hub;
    this.lastTime = lastTime;
  }

  /** Current Unix seconds, never lower than a MsgTime this node stored or saw at start (clocks: keep nodes in NTP). */
  protected messageTime(nowMs: number): number {
    this.lastTime = Math.max(this.lastTime, Math.floor(nowMs / 1000));
    return this.lastTime;
  }

  protected withEffects<K extends EffectKind>(plan: EffectPlanOf<K> | undefined) {
    return plan ? (r: EffectResults[K]) => planEffects(plan, r) : undefined;
  }

  importAccounts(appId: number, accounts: T.AccountInput[]): Promise<void> {
    const byId = new Map(accounts.map((a) => [a.userId, a]));
    const list = [...byId.values()];
    return this.hub.write(appId, async (tx, now) => {
      await tx.count(accountSql.upsert, [
        appId,
        list.map((a) => a.userId),
        list.map((a) => a.nick ?? ''),
        list.map((a) => a.faceUrl ?? ''),
        now,
      ]);
    });
  }

  sendMessage(
    appId: number,
    to: string,
    message: T.NewMessage,
    options: { dedupWindowSeconds: number; effects?: EffectPlanOf<'send'> | undefined },
  ): Promise<T.SendResult> {
    return this.hub.write(
      appId,
      (tx, now) => sendMessageOp(tx, appId, to, message, options.dedupWindowSeconds, this.messageTime(now), now),
      this.withEffects(options.effects),
    );
  }

  batchSendMessage(
    appId: number,
    to: string[],
    message: T.NewMessage,
    options?: { effects?: EffectPlanOf<'batch-send'> | undefined },
  ): Promise<T.BatchSendResult> {
    return this.hub.write(
      appId,
      (tx, now) => batchSendOp(tx, appId, to, message, this.messageTime(now), now),
      this.withEffects(options?.effects),
    );
  }

  setRead(appId: number, report: T.ReadReport, options?: { effects?: EffectPlanOf<'read'> | undefined }) {
    return this.hub.writeShared(
      appId,
      readReportStep(appId, report),
      (row: ReportRow) => readReportResult(report, row),
      this.withEffects(options?.effects),
    );
  }

  withdrawMessage(
    appId: number,
    request: T.WithdrawRequest,
    options?: { effects?: EffectPlanOf<'withdraw'> | undefined },
  ) {
    return this.hub.write(appId, (tx) => withdrawOp(tx, appId, request), this.withEffects(options?.effects));
  }

  /**
   * Writes only the `State.StateChange` callback (and sync entries) its effect plan makes, in one transaction.
   */
  recordStateChange(
    appId: number,
    change: T.StateChange,
    options?: { effects?: EffectPlanOf<'state'> | undefined },
  ): Promise<T.StateChange> {
    return this.hub.write(appId, () => Promise.resolve(change), this.withEffects(options?.effects));
  }

  deleteAccounts(
    appId: number,
    userIds: string[],
    options?: { effects?: EffectPlanOf<'account-delete'> | undefined },
  ): Promise<T.DeleteAccountsResult> {
    return this.hub.write(appId, (tx) => deleteAccountsOp(tx, appId, userIds), this.withEffects(options?.effects));
  }

  deleteConversation(appId: number, request: T.DeleteConversationRequest): Promise<T.DeleteConversationResult> {
    return this.hub.write(appId, (tx, now) => deleteConversationOp(tx, appId, request, now));
  }

  setReadReceipts(
    appId: number,
    request: T.ReadReceiptRequest,
    options?: { effects?: EffectPlanOf<'receipt'> | undefined },
  ): Promise<T.ReadReceiptResult> {
    return this.hub.write(
      appId,
      (tx, now) => readReceiptOp(tx, appId, request, now),
      this.withEffects(options?.effects),
    );
  }

  setReadAll(
    appId: number,
    request: T.ReadAllRequest,
    options?: { effects?: EffectPlanOf<'read-all'> | undefined },
  ): Promise<T.ReadAllResult> {
    return this.hub.write(appId, (tx, now) => readAllOp(tx, appId, request, now), this.withEffects(options?.effects));
  }

  importMessage(
    appId: number,
    to: string,
    message: T.NewMessage,
    msgTime: number,
    options?: { effects?: EffectPlanOf<'import'> | undefined },
  ): Promise<T.SendResult> {
    return this.hub.write(
      appId,
      (tx, now) => importMessageOp(tx, appId, to, message, msgTime, now),
      this.withEffects(options?.effects),
    );
  }

  modifyMessage(
    appId: number,
    request: T.ModifyRequest,
    options?: { effects?: EffectPlanOf<'modify'> | undefined },
  ): Promise<T.ModifyResult> {
    return this.hub.write(appId, (tx) => modifyMessageOp(tx, appId, request), this.withEffects(options?.effects));
  }

  kickAccount(
    appId: number,
    userId: string,
    options?: { effects?: EffectPlanOf<'kick'> | undefined },
  ): Promise<T.KickResult> {
    return this.hub.write(
      appId,
      (tx, now) => kickAccountOp(tx, appId, userId, now),
      this.withEffects(options?.effects),
    );
  }

  async pruneSyncEvents(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.hub.write(0, async (tx) => {
        const upto = (await tx.row<{ upto: number | null }>(syncSql.pruneUpto, [PRUNE_CHUNK, olderThanMs]))?.upto;
        if (upto === null || upto === undefined) return 0;
        return (await tx.row<{ n: number }>(syncSql.prune, [upto]))?.n ?? 0;
      });
      total += n;
      if (n === 0) return total;
    }
  }
}
