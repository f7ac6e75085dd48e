import type { Origin } from '../domain/types.ts';
import type { SyncEventInput } from './sync-event.ts';

/**
 * A callback to put in the outbox, produced inside the transaction of the change it reports.
 * The store assigns the event id and writes the exact body bytes that every attempt will send.
 */
export interface CallbackEventInput {
  /** `CallbackCommand`, e.g. `C2C.CallbackAfterMsgReport`. */
  command: string;
  /** Events with the same app and ordering key are delivered in commit order (`Report_Account`/`From_Account`). */
  orderingKey: string;
  /** The JSON body (without `EventTime`, which the store adds as the commit time in ms). */
  payload: Record<string, unknown>;
  origin: Origin;
}

/**
 * What a write produces besides its own rows, computed from its result *inside* its transaction,
 * so a change and its callbacks (and its sync-log entries for the users' devices) commit or fail together.
 */
export type Effects<R> = (result: R) => { callbacks?: CallbackEventInput[]; sync?: SyncEventInput[] };
