import type { Store } from '../store/store.ts';
import type { AppRegistry } from './app-registry.ts';
import { allowAll, type BeforeSendHook } from './before-send-hook.ts';
import { CoreEvents } from './core-events.ts';
import { admitAll, type WriteAdmission } from './write-admission.ts';

/** Who is connected to the client gateway (of every node of the deployment, when they share presence). */
export interface Presence {
  /** The platforms (`OptPlatform`) of each user's logged-in devices; users without one are left out. */
  devices(appId: number, userIds: string[]): Promise<Map<string, string[]>>;
}

/** What the transport-free core operations need. Transports (REST, gateway) hold one of these. */
export interface Services {
  store: Store;
  apps: AppRegistry;
  events: CoreEvents;
  beforeSend: BeforeSendHook;
  /** Paces writes that send callbacks while delivery is behind (installed by the dispatcher). */
  admission: WriteAdmission;
  /** The client gateway's view of who is online; absent without a gateway (everyone is offline). */
  presence?: Presence | undefined;
}

/** Builds the services with no dispatcher attached yet. */
export function createServices(store: Store, apps: AppRegistry): Services {
  return { store, apps, events: new CoreEvents(), beforeSend: allowAll, admission: admitAll };
}
