import { z } from 'zod';
import { crc32 } from '../../core/crc32.ts';
import { importC2cMessage } from '../../core/import-c2c-message.ts';
import { modifyC2cMessage } from '../../core/modify-c2c-message.ts';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../command.ts';
import { parseBody } from '../parse-body.ts';
import { MAX_LIFETIME_SECONDS, MAX_MESSAGE_BYTES, messageFields } from './message-input.ts';

const account = (error: 'FROM_ACCOUNT_INVALID' | 'TO_ACCOUNT_INVALID') => z.string({ error }).min(1, { error });

const importSchema = z.object({
  SyncFromOldSystem: z.union([z.literal(1), z.literal(2), z.literal(5)], { error: 'MSG_FORMAT_INVALID' }),
  From_Account: account('FROM_ACCOUNT_INVALID'),
  To_Account: account('TO_ACCOUNT_INVALID'),
  MsgSeq: messageFields.MsgSeq.unwrap(),
  MsgRandom: messageFields.MsgRandom,
  MsgTimeStamp: z
    .number({ error: 'MSG_TIMESTAMP_INVALID' })
    .int({ error: 'MSG_TIMESTAMP_INVALID' })
    .min(0, { error: 'MSG_TIMESTAMP_INVALID' }),
  MsgBody: messageFields.MsgBody,
  CloudCustomData: messageFields.CloudCustomData,
});

/** Refuses MsgBody + CloudCustomData over 12 KB (80002); returns the body's JSON. */
function checkSize(body: unknown, cloudCustomData: string | undefined): string {
  const json = JSON.stringify(body);
  const size = Buffer.byteLength(json) + Buffer.byteLength(cloudCustomData ?? '');
  if (size > MAX_MESSAGE_BYTES) {
    throw new ImError('MESSAGE_TOO_LONG', `message body too long: ${size} bytes (max ${MAX_MESSAGE_BYTES})`);
  }
  return json;
}

/**
 * `openim/importmsg`: imports one message from an old system, keeping its `MsgTimeStamp` (seconds, not in the
 * future). `SyncFromOldSystem` 2: history, not counted as unread, not pushed; 5: real-time import during the switch,
 * counted and pushed to devices; 1 (older documents and SDKs): as 5. No callbacks. The same MsgSeq + MsgRandom +
 * MsgTimeStamp in the same conversation (either direction) is imported once; the first import wins.
 */
export const importMsg: CommandDef = {
  service: 'openim',
  command: 'importmsg',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, origin, body }) {
    const b = parseBody(importSchema, body, 'MSG_FORMAT_INVALID');
    const json = checkSize(b.MsgBody, b.CloudCustomData);
    const history = b.SyncFromOldSystem === 2;
    await importC2cMessage(
      services,
      app,
      b.To_Account,
      {
        from: b.From_Account,
        msgSeq: b.MsgSeq,
        msgRandom: b.MsgRandom,
        body: b.MsgBody,
        cloudCustomData: b.CloudCustomData,
        countsUnread: !history,
        noLastMsg: false,
        syncOtherMachine: 1,
        lifeTime: MAX_LIFETIME_SECONDS,
        onlineOnly: false,
        contentCrc: crc32(json + '\u0000' + (b.CloudCustomData ?? '')),
        forbidCallbacks: [],
        origin,
      },
      b.MsgTimeStamp,
      !history,
    );
    return {};
  },
};

const modifySchema = z.object({
  From_Account: account('FROM_ACCOUNT_INVALID'),
  To_Account: account('TO_ACCOUNT_INVALID'),
  MsgKey: z.string({ error: 'MSG_KEY_INVALID' }).min(1, { error: 'MSG_KEY_INVALID' }),
  MsgBody: messageFields.MsgBody.optional(),
  CloudCustomData: messageFields.CloudCustomData,
});

/**
 * `openim/modify_c2c_msg`: replaces the `MsgBody` and/or `CloudCustomData` of a stored message by MsgKey (90054 if
 * unknown or recalled; at least one of the two is required). Fires `C2C.CallbackAfterModifyMsg` with the App admin as
 * `Operator_Account`; both parties' devices get a live `modify`.
 */
export const modifyC2cMsg: CommandDef = {
  service: 'openim',
  command: 'modify_c2c_msg',
  jsonError: 'OPENIM_JSON_PARSE',
  async handle({ services, app, identifier, origin, body }) {
    const b = parseBody(modifySchema, body, 'MSG_FORMAT_INVALID');
    if (b.MsgBody === undefined && b.CloudCustomData === undefined) {
      throw new ImError('MSG_BODY_INVALID', 'MsgBody or CloudCustomData is required');
    }
    checkSize(b.MsgBody ?? [], b.CloudCustomData);
    await modifyC2cMessage(services, app, {
      from: b.From_Account,
      to: b.To_Account,
      msgKey: b.MsgKey,
      operator: identifier,
      body: b.MsgBody,
      cloudCustomData: b.CloudCustomData,
      origin,
    });
    return {};
  },
};
