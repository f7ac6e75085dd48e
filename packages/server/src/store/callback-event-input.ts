import type { Origin } from '../domain/types.ts';

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
