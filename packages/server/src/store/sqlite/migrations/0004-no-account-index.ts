/**
 * Drops `callback_events_account (app_id, ordering_key, id)`. It held an entry for every event ever written, at a
 * random place (the ordering key), so each event dirtied one more page of a large index in the commit of its read
 * report: measured on the callback bench, about a tenth of the server's CPU per callback. What needed it, the event
 * listing filtered by account, now uses `callback_events_order` for pending events and otherwise a bounded scan per
 * page (`outbox/list-events.ts`). The per-key order of delivery never used it.
 */
export const migration0004 = {
  version: 4,
  name: 'no-account-index',
  sql: `
DROP INDEX callback_events_account;
`,
};
