import type { Outbox } from '../../dispatch/outbox.ts';
import type { OutboxAdmin } from '../../dispatch/outbox-admin.ts';
import type { ServerStore } from '../server-store.ts';
import type { CallTarget } from './store-thread-protocol.ts';

/** The store methods the main thread may call in the store thread (all asynchronous; `close` has its own message). */
export const storeMethods = [
  'importAccounts',
  'existingAccounts',
  'sendMessage',
  'batchSendMessage',
  'setRead',
  'getUnread',
  'getRoamMessages',
  'withdrawMessage',
  'listConversations',
  'listMessages',
  'startSyncLog',
  'readSyncEvents',
  'pruneSyncEvents',
  'inspect',
] as const satisfies readonly (keyof ServerStore)[];

/** The outbox methods the main thread may call in the store thread (all asynchronous). */
export const outboxMethods = [
  'runBatch',
  'maxRowId',
  'pruneDelivered',
  'recover',
  'listEvents',
  'listAttempts',
  'replayEvent',
  'replayDead',
  'stats',
  'loadConfigs',
  'saveConfig',
] as const satisfies readonly (keyof (Outbox & OutboxAdmin))[];

/** What the store thread will run, by target: anything else is refused. */
export const callableMethods: Record<CallTarget, ReadonlySet<string>> = {
  store: new Set(storeMethods),
  outbox: new Set(outboxMethods),
};
