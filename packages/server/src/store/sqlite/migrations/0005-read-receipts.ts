/**
 * Per-message read receipts (`openim/c2c_msg_read_receipt`): `read_receipt_at` is when the recipient sent a receipt
 * for the message (ms; 0 = none). It is what `admin_getroammsg` reports as `IsPeerRead`, and is separate from the
 * conversation read watermark in `conversations`. No index: receipts find their messages by MsgKey (`messages_key`).
 */
export const migration0005 = {
  version: 5,
  name: 'read-receipts',
  sql: `
ALTER TABLE messages ADD COLUMN read_receipt_at INTEGER NOT NULL DEFAULT 0;
`,
};
