import type { NewMessage, SendResult } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import type { Services } from './services.ts';

/**
 * Imports one C2C message from an old system (`importmsg`) with its original MsgTime: no callbacks (as Tencent);
 * with `live` (SyncFromOldSystem 1 or 5) it reaches the parties' devices as a send does, else (2) it only lands in
 * history and the conversation.
 */
export function importC2cMessage(
  services: Services,
  app: AppRuntime,
  to: string,
  message: NewMessage,
  msgTime: number,
  live: boolean,
): Promise<SendResult> {
  return services.store.importMessage(app.sdkAppId, to, message, msgTime, {
    effects: { kind: 'import', message, live },
  });
}
