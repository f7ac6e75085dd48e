import type { ReadReport, ReadResult } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import { enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/**
 * A C2C read report (REST `admin_set_msg_read` or a client's mark-read): moves the watermark, recomputes the
 * counts and writes `C2C.CallbackAfterMsgReport` in the same transaction, then publishes it.
 *
 * A `readTime` beyond the server's clock is clamped to now: nobody can read a message that does not exist yet, and a
 * watermark in the future would mark every later message of the conversation read on arrival.
 */
export async function markC2cRead(services: Services, app: AppRuntime, report: ReadReport): Promise<ReadResult> {
  const admitted = services.admission(app, 'C2C.CallbackAfterMsgReport');
  if (admitted) await admitted;
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (report.readTime !== undefined && report.readTime > nowSeconds) report = { ...report, readTime: nowSeconds };
  const result = await services.store.setRead(app.sdkAppId, report, {
    effects: { kind: 'read', enabledCallbacks: enabledCallbacks(app), origin: report.origin },
  });
  services.events.emit('read', { appId: app.sdkAppId, result, origin: report.origin });
  return result;
}
