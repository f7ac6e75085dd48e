import { callbackConfigSchema } from '../config/config-schema.ts';
import type { Services } from '../core/services.ts';
import type { ModuleContext } from '../server-module.ts';
import type { DispatchLog } from './dispatch-log.ts';
import type { OutboxAdmin } from './outbox-admin.ts';

/**
 * Applies callback configs saved by `set_config` over the file's, remembering where each came from. `seen` holds the
 * version (save time and content) of each app's config as last applied: a config saved again (on any node) is applied
 * again.
 */
export async function loadSavedConfigs(
  outbox: OutboxAdmin,
  services: Services,
  sources: Map<number, 'file' | 'set_config'>,
  log: DispatchLog,
  seen: Map<number, string>,
): Promise<void> {
  for (const saved of await outbox.loadConfigs()) {
    const app = services.apps.get(saved.appId);
    const version = `${saved.updatedAt} ${JSON.stringify(saved.config)}`;
    if (!app || seen.get(saved.appId) === version) continue;
    seen.set(saved.appId, version);
    if (saved.config === null) {
      app.callback = undefined;
    } else {
      const r = callbackConfigSchema.safeParse(saved.config);
      if (!r.success) {
        log.error({ app: saved.appId }, 'saved callback config is not valid; using the configuration file’s');
        continue;
      }
      app.callback = r.data;
    }
    sources.set(saved.appId, 'set_config');
  }
}

/**
 * A `config` listener: loads the saved callback configs again (another node saved one, or a notification may have
 * been missed), one load at a time, and wakes the dispatcher when it is done (events may go to a new URL now).
 */
export function reloadConfigs(
  ctx: ModuleContext,
  seen: Map<number, string>,
  sources: Map<number, 'file' | 'set_config'>,
  wake: () => void,
): () => void {
  let loading = false;
  let again = false;
  const load = (): void => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    loadSavedConfigs(ctx.store.outbox, ctx.services, sources, ctx.log, seen)
      .then(wake, (error: unknown) => ctx.log.warn({ err: error }, 'could not load the saved callback configs'))
      .finally(() => {
        loading = false;
        if (again) {
          again = false;
          load();
        }
      });
  };
  return load;
}
