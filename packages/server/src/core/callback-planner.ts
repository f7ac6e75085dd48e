import type {
  StateChange,
  ModifyResult,
  ReadAllResult,
  ReadReceiptResult,
  ReadResult,
  SendResult,
  WithdrawResult,
  Origin,
  NewMessage,
} from '../domain/types.ts';
import type { CallbackEventInput } from '../store/callback-event-input.ts';
import type { AppRuntime } from './app-registry.ts';
import { msgIdOf } from './msg-id.ts';

/** The callback commands `app` has enabled now (what an `EffectPlan` carries). */
export function enabledCallbacks(app: AppRuntime): readonly string[] {
  return app.callback?.commands ?? [];
}

/** Whether `app` has `command` enabled. */
export function callbackEnabled(app: AppRuntime, command: string): boolean {
  return enabledCallbacks(app).includes(command);
}

/** `C2C.CallbackAfterMsgReport` for a read report, ordered by `Report_Account`, if `enabled` has it. */
export function afterMsgReportEvents(enabled: readonly string[], r: ReadResult, origin: Origin): CallbackEventInput[] {
  if (!enabled.includes('C2C.CallbackAfterMsgReport')) return [];
  return [
    {
      command: 'C2C.CallbackAfterMsgReport',
      orderingKey: r.reporter,
      payload: {
        Report_Account: r.reporter,
        Peer_Account: r.peer,
        LastReadTime: r.lastReadTime,
        UnreadMsgNum: r.unreadTotal,
      },
      origin,
    },
  ];
}

/**
 * `C2C.CallbackAfterSendMsg` for a stored message, ordered by `From_Account`, if `enabled` has it; honours
 * ForbidAfterSendMsgCallback.
 */
export function afterSendMsgEvents(enabled: readonly string[], r: SendResult, m: NewMessage): CallbackEventInput[] {
  if (!enabled.includes('C2C.CallbackAfterSendMsg')) return [];
  if (m.forbidCallbacks.includes('ForbidAfterSendMsgCallback')) return [];
  const msg = r.message;
  return [
    {
      command: 'C2C.CallbackAfterSendMsg',
      orderingKey: msg.from,
      payload: {
        From_Account: msg.from,
        To_Account: msg.to,
        MsgSeq: msg.msgSeq,
        MsgRandom: msg.msgRandom,
        MsgTime: msg.msgTime,
        MsgKey: msg.msgKey,
        MsgId: msgIdOf(msg.msgKey),
        OnlineOnlyFlag: m.onlineOnly ? 1 : 0,
        SendMsgResult: 0,
        ErrorInfo: 'send msg succeed',
        UnreadMsgNum: r.recipientUnreadTotal,
        MsgBody: msg.body,
        CloudCustomData: msg.cloudCustomData,
      },
      origin: m.origin,
    },
  ];
}

/** `C2C.CallbackAfterMsgWithDraw` for a recall, ordered by `From_Account`, if `enabled` has it. */
export function afterMsgWithdrawEvents(
  enabled: readonly string[],
  r: WithdrawResult,
  origin: Origin,
): CallbackEventInput[] {
  if (!enabled.includes('C2C.CallbackAfterMsgWithDraw')) return [];
  return [
    {
      command: 'C2C.CallbackAfterMsgWithDraw',
      orderingKey: r.message.from,
      payload: {
        From_Account: r.message.from,
        To_Account: r.message.to,
        MsgKey: r.message.msgKey,
        UnreadMsgNum: r.recipientUnreadTotal,
      },
      origin,
    },
  ];
}

/**
 * `C2C.CallbackAfterMsgReadReceipt` for the messages that got a read receipt now, ordered by `Operator_Account` (the
 * reader, as a read report is by its reporter), if `enabled` has it. Each `C2CMsgInfo` item carries the MsgKey and
 * the MsgId. Nothing when no message got its receipt now.
 */
export function afterMsgReadReceiptEvents(
  enabled: readonly string[],
  r: ReadReceiptResult,
  origin: Origin,
): CallbackEventInput[] {
  if (!enabled.includes('C2C.CallbackAfterMsgReadReceipt') || r.receipted.length === 0) return [];
  return [
    {
      command: 'C2C.CallbackAfterMsgReadReceipt',
      orderingKey: r.reader,
      payload: {
        Operator_Account: r.reader,
        Peer_Account: r.peer,
        C2CMsgInfo: r.receipted.map((m) => ({
          From_Account: m.from,
          To_Account: m.to,
          MsgKey: m.msgKey,
          MsgId: msgIdOf(m.msgKey),
        })),
      },
      origin,
    },
  ];
}

/**
 * `C2C.CallbackAfterMsgReadAll` for a read-all, ordered by `Report_Account` (with the user's read reports), if
 * `enabled` has it. `GroupReadInfo` is always empty: there are no groups. Sent even when nothing was unread (the user
 * cleared everything, as Tencent reports it); no `C2C.CallbackAfterMsgReport` is sent for the conversations it read.
 */
export function afterMsgReadAllEvents(
  enabled: readonly string[],
  r: ReadAllResult,
  origin: Origin,
): CallbackEventInput[] {
  if (!enabled.includes('C2C.CallbackAfterMsgReadAll')) return [];
  return [
    {
      command: 'C2C.CallbackAfterMsgReadAll',
      orderingKey: r.reporter,
      payload: { Report_Account: r.reporter, GroupReadInfo: [] },
      origin,
    },
  ];
}

/**
 * `C2C.CallbackAfterModifyMsg` for an edit, ordered by `From_Account` (with the message's send and recall), if
 * `enabled` has it: the message after the edit, with `Operator_Account` the editor.
 */
export function afterModifyMsgEvents(
  enabled: readonly string[],
  r: ModifyResult,
  origin: Origin,
): CallbackEventInput[] {
  if (!enabled.includes('C2C.CallbackAfterModifyMsg')) return [];
  const m = r.message;
  return [
    {
      command: 'C2C.CallbackAfterModifyMsg',
      orderingKey: m.from,
      payload: {
        Operator_Account: r.operator,
        From_Account: m.from,
        To_Account: m.to,
        MsgSeq: m.msgSeq,
        MsgRandom: m.msgRandom,
        MsgTime: m.msgTime,
        MsgKey: m.msgKey,
        MsgId: msgIdOf(m.msgKey),
        MsgBody: m.body,
        CloudCustomData: m.cloudCustomData,
      },
      origin,
    },
  ];
}

/**
 * `State.StateChange` for a gateway login, logout or disconnect, ordered by the user (`Info.To_Account`), if
 * `enabled` has it. This callback alone spells the iOS platform `IOS` in `OptPlatform`, as Tencent documents.
 */
export function stateChangeEvents(enabled: readonly string[], c: StateChange): CallbackEventInput[] {
  if (!enabled.includes('State.StateChange')) return [];
  const optPlatform = c.origin.optPlatform === 'iOS' ? 'IOS' : c.origin.optPlatform;
  return [
    {
      command: 'State.StateChange',
      orderingKey: c.userId,
      payload: { Info: { Action: c.action, To_Account: c.userId, Reason: c.reason } },
      origin: { clientIp: c.origin.clientIp, optPlatform },
    },
  ];
}
