import { z } from 'zod';
import { batchSendC2cMessage, MAX_BATCH_RECIPIENTS } from '../../core/batch-send-c2c-message.ts';
import { sendC2cMessage } from '../../core/send-c2c-message.ts';
import type { CommandDef } from '../command.ts';
import { parseBody } from '../parse-body.ts';
import { msgIdOf } from '../../core/msg-id.ts';
import { messageFields, toNewMessage } from './message-input.ts';

const sendSchema = z.object({
  ...messageFields,
  To_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }),
});

/** `openim/sendmsg`: one C2C message; answers `MsgTime` (seconds), a unique `MsgKey` and `MsgId`. */
export const sendMsg: CommandDef = {
  service: 'openim',
  command: 'sendmsg',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, identifier, origin, body }) {
    const b = parseBody(sendSchema, body, 'MSG_FORMAT_INVALID');
    const outcome = await sendC2cMessage(services, app, b.To_Account, toNewMessage(b, identifier, origin));
    if (outcome.dropped) return { MsgTime: outcome.msgTime, MsgKey: outcome.msgKey, MsgId: msgIdOf(outcome.msgKey) };
    const m = outcome.result.message;
    return { MsgTime: m.msgTime, MsgKey: m.msgKey, MsgId: msgIdOf(m.msgKey) };
  },
};

const batchSchema = z.object({
  ...messageFields,
  To_Account: z
    .array(z.string({ error: 'TO_ACCOUNT_INVALID' }), { error: 'TO_ACCOUNT_INVALID' })
    .min(1, { error: 'TO_ACCOUNT_INVALID' })
    .max(MAX_BATCH_RECIPIENTS, { error: 'BATCH_TOO_MANY' }),
});

/** `openim/batchsendmsg`: one message to up to 500 recipients; no callbacks; `ErrorList` per failed recipient. */
export const batchSendMsg: CommandDef = {
  service: 'openim',
  command: 'batchsendmsg',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, identifier, origin, body }) {
    const b = parseBody(batchSchema, body, 'MSG_FORMAT_INVALID');
    const to = [...new Set(b.To_Account)];
    const r = await batchSendC2cMessage(services, app, to, toNewMessage(b, identifier, origin));
    return {
      MsgKey: r.msgKey,
      MsgId: msgIdOf(r.msgKey),
      ErrorList: r.errors.map((e) => ({ To_Account: e.to, ErrorCode: e.errorCode })),
    };
  },
};
