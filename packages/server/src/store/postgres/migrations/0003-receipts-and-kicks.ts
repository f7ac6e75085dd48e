/**
 * The columns of per-message read receipts (`messages.read_receipt_at`, when the recipient receipted the message,
 * 0 = never) and of kicks (`accounts.sigs_valid_after`, the Unix second of the account's last kick, 0 = never), as in
 * the SQLite schema, so `readwire migrate-data` carries them over.
 */
export const pgMigration0003 = {
  version: 3,
  name: 'receipts-and-kicks',
  sql: `
ALTER TABLE messages ADD COLUMN read_receipt_at bigint NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN sigs_valid_after bigint NOT NULL DEFAULT 0;
`,
};
