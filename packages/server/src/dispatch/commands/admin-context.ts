import type { AppRegistry } from '../../core/app-registry.ts';
import type { OutboxAdmin } from '../outbox-admin.ts';

/** What the `readwire_callback/*` commands work on. */
export interface CallbackAdminContext {
  outbox: OutboxAdmin;
  apps: AppRegistry;
  /** `allowPrivateCallbackUrls` from the configuration. */
  allowPrivateCallbackUrls: boolean;
  /** Where each app's current callback config came from. */
  sources: Map<number, 'file' | 'set_config'>;
  /** Wakes the dispatcher after a change that makes events due (replay, new config). */
  wake(): void;
  /** A config was saved: the other nodes of the deployment load it again. */
  configSaved(): void;
}

/** Most rows one listing returns. */
export const MAX_LIST_LIMIT = 1000;
/** Rows a listing returns when `Limit` is not given. */
export const DEFAULT_LIST_LIMIT = 100;
