import type { AppRegistry } from '../../core/app-registry.ts';
import type { CallbackConfig } from '../../config/config-schema.ts';
import type { AttemptObserver } from '../attempt-observer.ts';
import type { RequestEvent } from '../callback-request.ts';
import type { SendResult } from '../callback-sender.ts';
import type { Endpoint } from '../endpoint.ts';
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
  /** What this node's dispatcher observed of its attempts. */
  observer: AttemptObserver;
  /** The endpoint state of a callback URL's origin on this node (undefined before the dispatcher started). */
  endpointOf(url: string): Endpoint | undefined;
  /** Sends one request now, outside the queue, through the dispatcher's connection pool and SSRF rule. */
  sendNow(config: CallbackConfig, sdkAppId: number, event: RequestEvent): Promise<SendResult & { url: string }>;
}

/** Most rows one listing returns. */
export const MAX_LIST_LIMIT = 1000;
/** Rows a listing returns when `Limit` is not given. */
export const DEFAULT_LIST_LIMIT = 100;
