import type { NewMessage, SendResult } from '../domain/types.ts';
import { ImCustomError, ImError } from '../errors/im-error.ts';
import type { AppRuntime } from './app-registry.ts';
import { callbackEnabled, enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/** Seconds within which a resend (same sender, MsgSeq, MsgRandom, content) is suppressed, as Tencent. */
export const DEDUP_WINDOW_SECONDS = 120;

/** Outcome of a send: stored (or suppressed as duplicate), or silently dropped by the app backend. */
export type SendOutcome = { dropped: false; result: SendResult } | { dropped: true; msgTime: number; msgKey: string };

/**
 * Sends one C2C message: asks `C2C.CallbackBeforeSendMsg` (unless disabled or forbidden for this message), stores
 * the (possibly replaced) message with its `C2C.CallbackAfterSendMsg` in one transaction, and publishes it.
 * A refusal throws `ImError` 20006 or the app's own 120001–130000 code.
 */
export async function sendC2cMessage(
  services: Services,
  app: AppRuntime,
  to: string,
  message: NewMessage,
): Promise<SendOutcome> {
  let m = message;
  if (
    callbackEnabled(app, 'C2C.CallbackBeforeSendMsg') &&
    !m.forbidCallbacks.includes('ForbidBeforeSendMsgCallback') &&
    !m.onlineOnly
  ) {
    const decision = await services.beforeSend(app, to, m);
    if (decision.action === 'refuse') {
      if (decision.errorCode >= 120001 && decision.errorCode <= 130000) {
        throw new ImCustomError(decision.errorCode, decision.errorInfo);
      }
      throw new ImError('SEND_REFUSED_BY_CALLBACK');
    }
    if (decision.action === 'drop') {
      const msgTime = Math.floor(Date.now() / 1000);
      return { dropped: true, msgTime, msgKey: `0_${m.msgRandom}_${msgTime}` };
    }
    if (decision.body !== undefined || decision.cloudCustomData !== undefined) {
      m = { ...m, body: decision.body ?? m.body, cloudCustomData: decision.cloudCustomData ?? m.cloudCustomData };
    }
  }
  const admitted = m.forbidCallbacks.includes('ForbidAfterSendMsgCallback')
    ? undefined
    : services.admission(app, 'C2C.CallbackAfterSendMsg');
  if (admitted) await admitted;
  const result = await services.store.sendMessage(app.sdkAppId, to, m, {
    dedupWindowSeconds: DEDUP_WINDOW_SECONDS,
    effects: { kind: 'send', enabledCallbacks: enabledCallbacks(app), message: m },
  });
  if (!result.duplicate) {
    services.events.emit('message', {
      appId: app.sdkAppId,
      results: [result],
      syncOtherMachine: m.syncOtherMachine,
      onlineOnly: m.onlineOnly,
      origin: m.origin,
    });
  }
  return { dropped: false, result };
}
