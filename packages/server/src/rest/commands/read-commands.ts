import { z } from 'zod';
import { markC2cRead } from '../../core/mark-c2c-read.ts';
import { MAX_RECEIPT_MESSAGES, sendC2cReadReceipts } from '../../core/send-c2c-read-receipts.ts';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../command.ts';
import { parseBody } from '../parse-body.ts';

/** Seconds as a JSON number or a numeric string (Tencent documents both). */
const secondsSchema = z.union(
  [
    z.number().int().min(0),
    z
      .string()
      .regex(/^\d{1,12}$/)
      .transform(Number),
  ],
  {
    error: 'INVALID_PARAMETERS',
  },
);

const setReadSchema = z.object({
  Report_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }),
  Peer_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }),
  MsgReadTime: secondsSchema.optional(),
});

/**
 * `openim/admin_set_msg_read`: `Report_Account` has read the conversation with `Peer_Account` — everything stored
 * before this call, or, with `MsgReadTime`, every message with `MsgTime <= MsgReadTime`. Fires
 * `C2C.CallbackAfterMsgReport`. Unknown Report_Account → 90008, unknown Peer_Account → 90003.
 */
export const adminSetMsgRead: CommandDef = {
  service: 'openim',
  command: 'admin_set_msg_read',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, origin, body }) {
    const b = parseBody(setReadSchema, body, 'INVALID_PARAMETERS');
    await markC2cRead(services, app, {
      reporter: b.Report_Account,
      peer: b.Peer_Account,
      readTime: b.MsgReadTime,
      origin,
    });
    return {};
  },
};

/** Most peers in one `get_c2c_unread_msg_num`, as Tencent. */
export const MAX_UNREAD_PEERS = 10;

const unreadSchema = z.object({
  To_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }),
  Peer_Account: z
    .array(z.string({ error: 'INVALID_PARAMETERS' }), { error: 'INVALID_PARAMETERS' })
    .max(MAX_UNREAD_PEERS, { error: 'INVALID_PARAMETERS' })
    .optional(),
});

/**
 * `openim/get_c2c_unread_msg_num`: `AllC2CUnreadMsgNum` always; with `Peer_Account` (≤ 10) also
 * `C2CUnreadMsgNumList` and an `ErrorList` (70107) for peers that are not accounts.
 */
export const getC2cUnreadMsgNum: CommandDef = {
  service: 'openim',
  command: 'get_c2c_unread_msg_num',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(unreadSchema, body, 'INVALID_PARAMETERS');
    const counts = await services.store.getUnread(app.sdkAppId, b.To_Account, b.Peer_Account);
    const out: Record<string, unknown> = { AllC2CUnreadMsgNum: counts.total };
    if (b.Peer_Account) {
      out.C2CUnreadMsgNumList = counts.perPeer.map((p) => ({ Peer_Account: p.peer, C2CUnreadMsgNum: p.unread }));
      if (counts.missingPeers.length > 0) {
        out.ErrorList = counts.missingPeers.map((p) => ({ Peer_Account: p, ErrorCode: 70107 }));
      }
    }
    return out;
  },
};

const receiptSchema = z.object({
  Operator_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }),
  Peer_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }),
  C2CMsgInfo: z
    .array(
      z.object({
        From_Account: z.string({ error: 'READ_RECEIPT_INVALID' }),
        To_Account: z.string({ error: 'READ_RECEIPT_INVALID' }),
        MsgKey: z.string({ error: 'MSG_KEY_INVALID' }).min(1, { error: 'MSG_KEY_INVALID' }),
      }),
      { error: 'READ_RECEIPT_INVALID' },
    )
    .min(1, { error: 'READ_RECEIPT_INVALID' })
    .max(MAX_RECEIPT_MESSAGES, { error: 'READ_RECEIPT_INVALID' }),
});

/**
 * `openim/c2c_msg_read_receipt`: `Operator_Account` (the reader) sends read receipts for messages `Peer_Account`
 * sent it. Each `C2CMsgInfo` item's `From_Account` must be `Peer_Account` and its `To_Account` `Operator_Account`
 * (else 20001); an unknown MsgKey is 90054. Fires `C2C.CallbackAfterMsgReadReceipt`; the sender's devices get a live
 * `readReceipt`; `admin_getroammsg` then shows `IsPeerRead: 1` for these messages.
 */
export const c2cMsgReadReceipt: CommandDef = {
  service: 'openim',
  command: 'c2c_msg_read_receipt',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, origin, body }) {
    const b = parseBody(receiptSchema, body, 'READ_RECEIPT_INVALID');
    for (const m of b.C2CMsgInfo) {
      if (m.From_Account !== b.Peer_Account || m.To_Account !== b.Operator_Account) {
        throw new ImError(
          'READ_RECEIPT_INVALID',
          'each C2CMsgInfo item needs From_Account = Peer_Account and To_Account = Operator_Account',
        );
      }
    }
    await sendC2cReadReceipts(services, app, {
      reader: b.Operator_Account,
      peer: b.Peer_Account,
      msgKeys: [...new Set(b.C2CMsgInfo.map((m) => m.MsgKey))],
      origin,
    });
    return {};
  },
};
