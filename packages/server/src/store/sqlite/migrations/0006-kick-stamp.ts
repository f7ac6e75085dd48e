/**
 * `im_open_login_svc/kick`: `sigs_valid_after` is the Unix second of the account's last kick (0 = never). A UserSig
 * issued at or before it (`TLS.time <= sigs_valid_after`) no longer logs in, on any server sharing the database,
 * until the user gets one issued after it.
 */
export const migration0006 = {
  version: 6,
  name: 'kick-stamp',
  sql: `
ALTER TABLE accounts ADD COLUMN sigs_valid_after INTEGER NOT NULL DEFAULT 0;
`,
};
