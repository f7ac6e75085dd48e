import type { BatchSendResult, NewMessage } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import type { Services } from './services.ts';

/** Most recipients of one `batchsendmsg`, as Tencent. */
export const MAX_BATCH_RECIPIENTS = 500;

/** Sends one message to many recipients. Fires no callbacks (as Tencent); unknown recipients are listed with 70107. */
export async function batchSendC2cMessage(
  services: Services,
  app: AppRuntime,
  to: string[],
  message: NewMessage,
): Promise<BatchSendResult> {
  const result = await services.store.batchSendMessage(app.sdkAppId, to, message, {
    effects: { kind: 'batch-send', message },
  });
  if (result.sent.length > 0) {
    services.events.emit('message', {
      appId: app.sdkAppId,
      results: result.sent,
      syncOtherMachine: message.syncOtherMachine,
      onlineOnly: message.onlineOnly,
      origin: message.origin,
    });
  }
  return result;
}
