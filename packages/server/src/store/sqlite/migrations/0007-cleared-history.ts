/**
 * `recentcontact/delete` with `ClearRamble` 1: `conversations.cleared_upto_id` is the id of the last message of the
 * conversation the owner cleared from its own view (0 = none); roaming and message pages with the owner as the
 * querying party start above it.
 */
export const migration0007 = {
  version: 7,
  name: 'cleared-history',
  sql: `
ALTER TABLE conversations ADD COLUMN cleared_upto_id INTEGER NOT NULL DEFAULT 0;
`,
};
