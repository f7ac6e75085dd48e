import type { Store } from '../store/store.ts';
import type { AppRegistry } from './app-registry.ts';
import { allowAll, type BeforeSendHook } from './before-send-hook.ts';
import { CoreEvents } from './core-events.ts';

/** What the transport-free core operations need. Transports (REST, gateway) hold one of these. */
export interface Services {
  store: Store;
  apps: AppRegistry;
  events: CoreEvents;
  beforeSend: BeforeSendHook;
}

/** Builds the services with no dispatcher attached yet. */
export function createServices(store: Store, apps: AppRegistry): Services {
  return { store, apps, events: new CoreEvents(), beforeSend: allowAll };
}
