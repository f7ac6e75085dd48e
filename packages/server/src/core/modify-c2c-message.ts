import type { ModifyRequest, ModifyResult } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import { enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/**
 * Edits a stored message's body and/or CloudCustomData, writing `C2C.CallbackAfterModifyMsg` and both parties'
 * `modify` sync entries (the live update to their devices) in the same transaction.
 */
export function modifyC2cMessage(services: Services, app: AppRuntime, request: ModifyRequest): Promise<ModifyResult> {
  return services.store.modifyMessage(app.sdkAppId, request, {
    effects: { kind: 'modify', enabledCallbacks: enabledCallbacks(app), origin: request.origin },
  });
}
