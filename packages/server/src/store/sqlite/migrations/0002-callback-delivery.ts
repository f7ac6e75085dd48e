/**
 * What the callback dispatcher needs beyond the 0001 outbox table:
 *
 * - `callback_events.parked`: 1 while an event waits behind an earlier pending event of the same app and ordering
 *   key. Parked events drop out of `callback_events_due`, so a claim never rescans a backlog that cannot move; the
 *   settle that ends the earlier event unparks the next one (see `outbox/claim-events.ts`).
 * - `callback_events.retry_base`: attempts made before the last replay (or aborted at shutdown); the retry schedule
 *   counts `attempts - retry_base`, while `attempts` (the `X-Readwire-Attempt` header) only grows.
 * - `callback_events_due` replaces `callback_events_pending`: due events per app in claim order.
 * - `callback_attempts`: one row per delivery attempt, kept as long as its event.
 * - `callback_configs`: callback settings changed at run time (`readwire_callback/set_config`); they override the
 *   configuration file's from the next start on.
 */
export const migration0002 = {
  version: 2,
  name: 'callback-delivery',
  sql: `
ALTER TABLE callback_events ADD COLUMN parked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE callback_events ADD COLUMN retry_base INTEGER NOT NULL DEFAULT 0;
DROP INDEX callback_events_pending;
CREATE INDEX callback_events_due ON callback_events (app_id, next_attempt_at, id) WHERE state = 'pending' AND parked = 0;
CREATE INDEX callback_events_account ON callback_events (app_id, ordering_key, id);
CREATE INDEX callback_events_delivered ON callback_events (delivered_at) WHERE state = 'delivered';
CREATE INDEX callback_events_dead ON callback_events (app_id, id) WHERE state = 'dead';

CREATE TABLE callback_attempts (
  id         INTEGER PRIMARY KEY,
  event_row  INTEGER NOT NULL,
  app_id     INTEGER NOT NULL,
  attempt    INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  url        TEXT    NOT NULL,
  status     INTEGER,
  latency_ms REAL    NOT NULL,
  error_code INTEGER,
  error_info TEXT,
  error      TEXT,
  outcome    TEXT    NOT NULL
);
CREATE INDEX callback_attempts_event ON callback_attempts (event_row, id);

CREATE TABLE callback_configs (
  app_id     INTEGER PRIMARY KEY,
  config     TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
};
