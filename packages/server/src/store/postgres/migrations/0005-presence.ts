/**
 * Shared presence: which devices are logged in to which node's client gateway (`presence_devices`), and each node's
 * heartbeat (`presence_nodes`). Not copied by `readwire migrate-data`: it describes running nodes, not data.
 */
export const pgMigration0005 = {
  version: 5,
  name: 'presence',
  sql: `
CREATE TABLE presence_nodes (
  node_id      text   PRIMARY KEY,
  heartbeat_at bigint NOT NULL
);
CREATE TABLE presence_devices (
  node_id   text   NOT NULL,
  device_id bigint NOT NULL,
  app_id    bigint NOT NULL,
  user_id   text   NOT NULL,
  platform  text   NOT NULL,
  PRIMARY KEY (node_id, device_id)
);
CREATE INDEX presence_devices_user ON presence_devices (app_id, user_id);
`,
};
