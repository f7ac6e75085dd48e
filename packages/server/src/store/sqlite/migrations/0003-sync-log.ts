/**
 * The per-user sync log behind the client gateway's resume: every change a user's devices must learn of (a message
 * to or from them, their unread counts after a read, the peer's read receipt, a recall) is appended here in the same
 * transaction as the change, so a reconnecting device replays exactly what it missed after its cursor (the `id`).
 * `AUTOINCREMENT` keeps ids from ever being reused after pruning; `sync_state.pruned_upto` is the highest id pruned,
 * so a cursor older than it cannot be resumed (the device reloads instead). Only users in `sync_users` — those who
 * have logged in to the gateway at least once — have a log, so REST-only traffic writes none.
 */
export const migration0003 = {
  version: 3,
  name: 'sync-log',
  sql: `
CREATE TABLE sync_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id     INTEGER NOT NULL,
  user_id    TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  msg_id     INTEGER,
  data       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX sync_events_user ON sync_events (app_id, user_id, id);

CREATE TABLE sync_users (
  app_id     INTEGER NOT NULL,
  user_id    TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id)
) WITHOUT ROWID;

CREATE TABLE sync_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  pruned_upto INTEGER NOT NULL
);
INSERT INTO sync_state (id, pruned_upto) VALUES (1, 0);
`,
};
