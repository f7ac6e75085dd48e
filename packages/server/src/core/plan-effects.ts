import type {
  BatchSendResult,
  DeleteAccountsResult,
  KickResult,
  StateChange,
  ModifyResult,
  ReadAllResult,
  ReadReceiptResult,
  ReadResult,
  SendResult,
  WithdrawResult,
} from '../domain/types.ts';
import type { CallbackEventInput } from '../store/callback-event-input.ts';
import type { EffectKind, EffectPlanOf } from '../store/effect-plan.ts';
import type { SyncEventInput } from '../store/sync-event.ts';
import {
  afterModifyMsgEvents,
  stateChangeEvents,
  afterMsgReadAllEvents,
  afterMsgReadReceiptEvents,
  afterMsgReportEvents,
  afterMsgWithdrawEvents,
  afterSendMsgEvents,
} from './callback-planner.ts';
import {
  messageSyncEvents,
  modifySyncEvents,
  readReceiptSyncEvents,
  readSyncEvents,
  withdrawSyncEvents,
} from './sync-planner.ts';

/** The result of the write each `EffectPlan` kind belongs to. */
export interface EffectResults {
  read: ReadResult;
  send: SendResult;
  'batch-send': BatchSendResult;
  withdraw: WithdrawResult;
  receipt: ReadReceiptResult;
  'read-all': ReadAllResult;
  import: SendResult;
  modify: ModifyResult;
  kick: KickResult;
  'account-delete': DeleteAccountsResult;
  state: StateChange;
}

/** What a plan produces from its write's result: the outbox events and the sync-log entries to write with it. */
export interface PlannedEffects {
  callbacks: CallbackEventInput[];
  sync: SyncEventInput[];
}

const planners: { [K in EffectKind]: (plan: EffectPlanOf<K>, result: EffectResults[K]) => PlannedEffects } = {
  read: (plan, r) => ({
    callbacks: afterMsgReportEvents(plan.enabledCallbacks, r, plan.origin),
    sync: readSyncEvents(r),
  }),
  send: (plan, r) =>
    r.duplicate
      ? { callbacks: [], sync: [] }
      : {
          callbacks: afterSendMsgEvents(plan.enabledCallbacks, r, plan.message),
          sync: messageSyncEvents(r, plan.message),
        },
  'batch-send': (plan, r) => ({ callbacks: [], sync: r.sent.flatMap((s) => messageSyncEvents(s, plan.message)) }),
  withdraw: (plan, r) =>
    r.alreadyRecalled
      ? { callbacks: [], sync: [] }
      : { callbacks: afterMsgWithdrawEvents(plan.enabledCallbacks, r, plan.origin), sync: withdrawSyncEvents(r) },
  receipt: (plan, r) => ({
    callbacks: afterMsgReadReceiptEvents(plan.enabledCallbacks, r, plan.origin),
    sync: readReceiptSyncEvents(r),
  }),
  'read-all': (plan, r) => ({
    callbacks: afterMsgReadAllEvents(plan.enabledCallbacks, r, plan.origin),
    sync: r.conversations.flatMap(readSyncEvents),
  }),
  import: (plan, r) => ({ callbacks: [], sync: plan.live ? messageSyncEvents(r, plan.message) : [] }),
  modify: (plan, r) => ({
    callbacks: afterModifyMsgEvents(plan.enabledCallbacks, r, plan.origin),
    sync: modifySyncEvents(r),
  }),
  kick: (_plan, r) => ({ callbacks: [], sync: [{ userId: r.userId, kind: 'kick', data: {} }] }),
  'account-delete': (_plan, r) => ({
    callbacks: [],
    sync: r.deleted.map((userId) => ({ userId, kind: 'kick' as const, data: {} })),
  }),
  state: (plan, r) => ({ callbacks: stateChangeEvents(plan.enabledCallbacks, r), sync: [] }),
};

/**
 * Turns an `EffectPlan` and its write's result into the callback events and sync-log entries to write in the same
 * transaction. Pure: the same plan and result always give the same effects. A duplicate send and a second recall of
 * the same message produce nothing (they changed nothing, so there is nothing to report).
 */
export function planEffects<K extends EffectKind>(plan: EffectPlanOf<K>, result: EffectResults[K]): PlannedEffects {
  const planner: (plan: EffectPlanOf<K>, result: EffectResults[K]) => PlannedEffects = planners[plan.kind];
  return planner(plan, result);
}
