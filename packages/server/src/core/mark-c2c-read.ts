import type { ReadReport, ReadResult } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import { enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/**
 * A C2C read report (REST `admin_set_msg_read` or a client's mark-read): moves the watermark, recomputes the
 * counts and writes `C2C.CallbackAfterMsgReport` in the same transaction, then publishes it.
 */
export async function markC2cRead(services: Services, app: AppRuntime, report: ReadReport): Promise<ReadResult> {
  const admitted = services.admission(app, 'C2C.CallbackAfterMsgReport');
  if (admitted) await admitted;
  const result = await services.store.setRead(app.sdkAppId, report, {
    effects: { kind: 'read', enabledCallbacks: enabledCallbacks(app), origin: report.origin },
  });
  services.events.emit('read', { appId: app.sdkAppId, result, origin: report.origin });
  return result;
}
