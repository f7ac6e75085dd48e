import { z } from 'zod';
import { ImError } from '../../errors/im-error.ts';
import { withdrawC2cMessage } from '../../core/withdraw-c2c-message.ts';
import type { CommandDef } from '../command.ts';
import { parseBody } from '../parse-body.ts';
import { msgIdOf } from '../../core/msg-id.ts';

/** Most messages one `admin_getroammsg` page returns. */
export const MAX_ROAM_PAGE = 1000;

const intField = z.number({ error: 'INVALID_PARAMETERS' }).int({ error: 'INVALID_PARAMETERS' });

const roamSchema = z.object({
  Operator_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }).optional(),
  Peer_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }).optional(),
  From_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }).optional(),
  To_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }).optional(),
  MaxCnt: intField.min(1, { error: 'INVALID_PARAMETERS' }).max(MAX_ROAM_PAGE, { error: 'INVALID_PARAMETERS' }),
  MinTime: intField.min(0, { error: 'INVALID_PARAMETERS' }),
  MaxTime: intField.min(0, { error: 'INVALID_PARAMETERS' }),
  LastMsgKey: z.string({ error: 'MSG_KEY_INVALID' }).optional(),
});

/**
 * `openim/admin_getroammsg`: both directions of a conversation in `[MinTime, MaxTime]`, newest first, seen from
 * `Operator_Account` (current Tencent form; the older `From_Account`/`To_Account` form is accepted too, with
 * `From_Account` as the viewing party): messages its peer sent with `SyncOtherMachine: 2` are included, its own are
 * not. Next page: `MaxTime = LastMsgTime` and `LastMsgKey`. Recalled messages have `MsgFlagBits: 8` and an empty
 * `MsgBody`.
 */
export const adminGetRoamMsg: CommandDef = {
  service: 'openim',
  command: 'admin_getroammsg',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(roamSchema, body, 'INVALID_PARAMETERS');
    const from = b.Operator_Account ?? b.From_Account;
    const to = b.Peer_Account ?? b.To_Account;
    if (!from) throw new ImError('FROM_ACCOUNT_INVALID', 'Operator_Account (or From_Account) is required');
    if (!to) throw new ImError('TO_ACCOUNT_INVALID', 'Peer_Account (or To_Account) is required');
    const page = await services.store.getRoamMessages(app.sdkAppId, {
      from,
      to,
      maxCnt: b.MaxCnt,
      minTime: b.MinTime,
      maxTime: b.MaxTime,
      lastMsgKey: b.LastMsgKey || undefined,
    });
    const last = page.messages.at(-1);
    return {
      Complete: page.complete ? 1 : 0,
      MsgCnt: page.messages.length,
      LastMsgTime: last?.msgTime ?? 0,
      LastMsgKey: last?.msgKey ?? '',
      MsgList: page.messages.map((m) => ({
        From_Account: m.from,
        To_Account: m.to,
        MsgSeq: m.msgSeq,
        MsgRandom: m.msgRandom,
        MsgTimeStamp: m.msgTime,
        MsgFlagBits: m.recalled ? 8 : 0,
        IsPeerRead: m.readReceipt ? 1 : 0,
        MsgKey: m.msgKey,
        MsgId: msgIdOf(m.msgKey),
        MsgBody: m.recalled ? [] : m.body,
        CloudCustomData: m.recalled ? '' : m.cloudCustomData,
      })),
    };
  },
};

const withdrawSchema = z.object({
  From_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }),
  To_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }),
  MsgKey: z.string({ error: 'MSG_KEY_INVALID' }).min(1, { error: 'MSG_KEY_INVALID' }),
});

/** `openim/admin_msgwithdraw`: recalls a message by MsgKey (90054 if unknown); fires `C2C.CallbackAfterMsgWithDraw`. */
export const adminMsgWithdraw: CommandDef = {
  service: 'openim',
  command: 'admin_msgwithdraw',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, origin, body }) {
    const b = parseBody(withdrawSchema, body, 'INVALID_PARAMETERS');
    await withdrawC2cMessage(services, app, { from: b.From_Account, to: b.To_Account, msgKey: b.MsgKey, origin });
    return {};
  },
};
