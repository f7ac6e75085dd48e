import type { WithdrawRequest, WithdrawResult } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import { enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/**
 * Recalls a message and writes `C2C.CallbackAfterMsgWithDraw` with it, then publishes it. Recalling an already
 * recalled message succeeds and changes nothing: no second callback, no event.
 */
export async function withdrawC2cMessage(
  services: Services,
  app: AppRuntime,
  request: WithdrawRequest,
): Promise<WithdrawResult> {
  const admitted = services.admission(app, 'C2C.CallbackAfterMsgWithDraw');
  if (admitted) await admitted;
  const result = await services.store.withdrawMessage(app.sdkAppId, request, {
    effects: { kind: 'withdraw', enabledCallbacks: enabledCallbacks(app), origin: request.origin },
  });
  if (!result.alreadyRecalled)
    services.events.emit('withdraw', { appId: app.sdkAppId, result, origin: request.origin });
  return result;
}
