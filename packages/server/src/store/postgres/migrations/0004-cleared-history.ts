/**
 * `recentcontact/delete` with `ClearRamble` 1: `conversations.cleared_upto_id` is the id of the last message of the
 * conversation the owner cleared from its own view (0 = none), as in the SQLite schema, so `readwire migrate-data`
 * carries it over.
 */
export const pgMigration0004 = {
  version: 4,
  name: 'cleared-history',
  sql: `
ALTER TABLE conversations ADD COLUMN cleared_upto_id bigint NOT NULL DEFAULT 0;
`,
};
