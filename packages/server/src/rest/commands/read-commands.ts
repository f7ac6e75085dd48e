import { z } from 'zod';
import { markC2cRead } from '../../core/mark-c2c-read.ts';
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
