import type { NewMessage, Origin } from '../domain/types.ts';

/**
 * What a write must produce besides its own rows (callback-outbox events and sync-log entries), as plain
 * structured-clone data: the store turns it into rows from the write's result *inside* the write's transaction
 * (`planEffects`), so a change and what reports it commit or fail together. Being data, a plan can cross a worker
 * boundary unchanged.
 *
 * `enabledCallbacks` is the app's enabled callback commands when the write was asked for
 * (`app.callback?.commands ?? []`); a command not in it produces no event.
 */
export type EffectPlan =
  /** A read report (`Store.setRead`): `C2C.CallbackAfterMsgReport` from `origin`, and the read's sync entries. */
  | { kind: 'read'; enabledCallbacks: readonly string[]; origin: Origin }
  /**
   * One send (`Store.sendMessage`): `C2C.CallbackAfterSendMsg` and the message's sync entries. `message` is the
   * message as passed to the store (its `forbidCallbacks`, `onlineOnly` and `origin` decide what is produced).
   * A duplicate send produces nothing.
   */
  | { kind: 'send'; enabledCallbacks: readonly string[]; message: NewMessage }
  /** A batch send (`Store.batchSendMessage`): sync entries for each stored copy, no callbacks (as Tencent). */
  | { kind: 'batch-send'; message: NewMessage }
  /** A recall (`Store.withdrawMessage`): `C2C.CallbackAfterMsgWithDraw` from `origin`, and both parties' sync entries. */
  | { kind: 'withdraw'; enabledCallbacks: readonly string[]; origin: Origin }
  /**
   * Read receipts (`Store.setReadReceipts`): `C2C.CallbackAfterMsgReadReceipt` from `origin` for the messages that got
   * their receipt now, and the sender's `readReceipt` sync entry. Receipts that changed nothing produce nothing.
   */
  | { kind: 'receipt'; enabledCallbacks: readonly string[]; origin: Origin }
  /**
   * A read-all (`Store.setReadAll`): one `C2C.CallbackAfterMsgReadAll` from `origin` (always: the user did it, as
   * Tencent), no `C2C.CallbackAfterMsgReport`, and each read conversation's sync entries as a read report's.
   */
  | { kind: 'read-all'; enabledCallbacks: readonly string[]; origin: Origin }
  /**
   * A history import (`Store.importMessage`): never a callback (as Tencent); with `live`, the message's sync entries
   * (a real-time import reaches devices as a send does). A duplicate import produces nothing.
   */
  | { kind: 'import'; message: NewMessage; live: boolean }
  /** An edit (`Store.modifyMessage`): `C2C.CallbackAfterModifyMsg` from `origin`, and both parties' `modify` entries. */
  | { kind: 'modify'; enabledCallbacks: readonly string[]; origin: Origin }
  /** A kick (`Store.kickAccount`): the user's `kick` sync entry, which closes their devices on every server. */
  | { kind: 'kick' }
  /** An account deletion (`Store.deleteAccounts`): a `kick` sync entry per deleted account (closes its devices). */
  | { kind: 'account-delete' }
  /** A login state change (`Store.recordStateChange`): `State.StateChange`, if enabled. */
  | { kind: 'state'; enabledCallbacks: readonly string[] };

/** The kinds of `EffectPlan`. */
export type EffectKind = EffectPlan['kind'];

/** The `EffectPlan` variant of one kind, e.g. `EffectPlanOf<'read'>`. */
export type EffectPlanOf<K extends EffectKind> = Extract<EffectPlan, { kind: K }>;
