import type { StateChange } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import { callbackEnabled, enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/**
 * Records a gateway login, logout or disconnect as a durable `State.StateChange` callback (written to the outbox in
 * its own transaction, delivered in order per user). Nothing is written when the app has the callback off.
 */
export async function reportStateChange(services: Services, app: AppRuntime, change: StateChange): Promise<void> {
  if (!callbackEnabled(app, 'State.StateChange')) return;
  await services.store.recordStateChange(app.sdkAppId, change, {
    effects: { kind: 'state', enabledCallbacks: enabledCallbacks(app) },
  });
}
