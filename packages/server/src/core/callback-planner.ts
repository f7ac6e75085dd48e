import type { ReadResult, SendResult, WithdrawResult, Origin, NewMessage } from '../domain/types.ts';
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
