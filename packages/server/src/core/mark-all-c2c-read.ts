import type { ReadAllRequest, ReadAllResult } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import { enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/**
 * Read-all (a client's "clear every C2C unread count"): reads every conversation with unread messages in one
 * transaction, writing `C2C.CallbackAfterMsgReadAll` and each conversation's sync entries (the user's devices get
 * `unread`, each peer's devices `peerRead`) with it, then publishes each read.
 */
export async function markAllC2cRead(
  services: Services,
  app: AppRuntime,
  request: ReadAllRequest,
): Promise<ReadAllResult> {
  const result = await services.store.setReadAll(app.sdkAppId, request, {
    effects: { kind: 'read-all', enabledCallbacks: enabledCallbacks(app), origin: request.origin },
  });
  for (const r of result.conversations)
    services.events.emit('read', { appId: app.sdkAppId, result: r, origin: request.origin });
  return result;
}
