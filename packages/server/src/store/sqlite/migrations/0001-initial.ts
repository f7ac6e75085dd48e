/**
 * Accounts, messages, conversations (unread counts + read watermarks) and the callback outbox.
 * Counts are kept in `conversations.unread` and `accounts.unread_total`, updated in the same transaction as the
 * message, read report or recall that changes them, so reading a count is one primary-key lookup.
 */
export const migration0001 = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE accounts (
  app_id       INTEGER NOT NULL,
  user_id      TEXT    NOT NULL,
  nick         TEXT    NOT NULL DEFAULT '',
  face_url     TEXT    NOT NULL DEFAULT '',
  unread_total INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id)
) WITHOUT ROWID;

CREATE TABLE messages (
  id                 INTEGER PRIMARY KEY,
  app_id             INTEGER NOT NULL,
  msg_key            TEXT    NOT NULL,
  from_account       TEXT    NOT NULL,
  to_account         TEXT    NOT NULL,
  msg_seq            INTEGER NOT NULL,
  msg_random         INTEGER NOT NULL,
  msg_time           INTEGER NOT NULL,
  content_crc        INTEGER NOT NULL,
  body               TEXT    NOT NULL,
  cloud_custom_data  TEXT    NOT NULL DEFAULT '',
  counts_unread      INTEGER NOT NULL,
  sync_other_machine INTEGER NOT NULL,
  life_time          INTEGER NOT NULL,
  recalled           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL
);
CREATE INDEX messages_inbox ON messages (app_id, to_account, from_account, id);
CREATE INDEX messages_key ON messages (app_id, msg_key);
CREATE INDEX messages_dedup ON messages (app_id, from_account, msg_random);

CREATE TABLE conversations (
  app_id         INTEGER NOT NULL,
  owner          TEXT    NOT NULL,
  peer           TEXT    NOT NULL,
  unread         INTEGER NOT NULL DEFAULT 0,
  read_upto_id   INTEGER NOT NULL DEFAULT 0,
  read_time      INTEGER NOT NULL DEFAULT 0,
  last_read_time INTEGER NOT NULL DEFAULT 0,
  last_msg_id    INTEGER NOT NULL DEFAULT 0,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (app_id, owner, peer)
) WITHOUT ROWID;

CREATE TABLE callback_events (
  id              INTEGER PRIMARY KEY,
  event_id        TEXT    NOT NULL UNIQUE,
  app_id          INTEGER NOT NULL,
  command         TEXT    NOT NULL,
  ordering_key    TEXT    NOT NULL,
  body            TEXT    NOT NULL,
  client_ip       TEXT    NOT NULL,
  opt_platform    TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner     TEXT,
  lease_until     INTEGER,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER,
  last_error      TEXT
);
CREATE INDEX callback_events_pending ON callback_events (next_attempt_at) WHERE state = 'pending';
CREATE INDEX callback_events_order ON callback_events (app_id, ordering_key, id) WHERE state = 'pending';
`,
};
