import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { crc32 } from '../../core/crc32.ts';
import type { NewMessage, Origin } from '../../domain/types.ts';
import { ImError } from '../../errors/im-error.ts';

/** Largest MsgBody + CloudCustomData, in bytes (Tencent: 12 KB; over it → 80002). */
export const MAX_MESSAGE_BYTES = 12 * 1024;
/** Longest offline storage (7 days); longer `MsgLifeTime` values are capped, as Tencent. */
export const MAX_LIFETIME_SECONDS = 604800;

const uint32 = (error: string) => z.number({ error }).int({ error }).min(0, { error }).max(4294967295, { error });

const KNOWN_ELEMS = new Set([
  'TIMTextElem',
  'TIMCustomElem',
  'TIMLocationElem',
  'TIMFaceElem',
  'TIMSoundElem',
  'TIMImageElem',
  'TIMFileElem',
  'TIMVideoFileElem',
]);

const elemSchema = z
  .object(
    {
      MsgType: z.string({ error: 'MSG_FORMAT_INVALID' }),
      MsgContent: z.record(z.string(), z.unknown(), { error: 'MSG_FORMAT_INVALID' }),
    },
    { error: 'MSG_BODY_INVALID' },
  )
  .refine((e) => KNOWN_ELEMS.has(e.MsgType), { error: 'MSG_FORMAT_INVALID' })
  .refine((e) => e.MsgType !== 'TIMTextElem' || typeof e.MsgContent.Text === 'string', { error: 'MSG_FORMAT_INVALID' })
  .refine(
    (e) =>
      e.MsgType !== 'TIMCustomElem' ||
      ['Data', 'Desc', 'Ext', 'Sound'].every(
        (k) => e.MsgContent[k] === undefined || typeof e.MsgContent[k] === 'string',
      ),
    { error: 'MSG_FORMAT_INVALID' },
  );

/** The message fields shared by `sendmsg` and `batchsendmsg` (unknown fields are ignored, as Tencent). */
export const messageFields = {
  From_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }).optional(),
  MsgRandom: uint32('MSG_RANDOM_INVALID'),
  MsgSeq: uint32('MSG_FORMAT_INVALID').optional(),
  MsgTimeStamp: z.number({ error: 'MSG_TIMESTAMP_INVALID' }).int({ error: 'MSG_TIMESTAMP_INVALID' }).optional(),
  MsgBody: z.array(elemSchema, { error: 'MSG_BODY_INVALID' }).min(1, { error: 'MSG_BODY_INVALID' }),
  CloudCustomData: z.string({ error: 'MSG_FORMAT_INVALID' }).optional(),
  SyncOtherMachine: z
    .number({ error: 'SYNC_OTHER_MACHINE_INVALID' })
    .int({ error: 'SYNC_OTHER_MACHINE_INVALID' })
    .optional(),
  MsgLifeTime: z
    .number({ error: 'MSG_LIFETIME_INVALID' })
    .int({ error: 'MSG_LIFETIME_INVALID' })
    .min(0, { error: 'MSG_LIFETIME_INVALID' })
    .optional(),
  OnlineOnlyFlag: z.number({ error: 'MSG_FORMAT_INVALID' }).int({ error: 'MSG_FORMAT_INVALID' }).optional(),
  SendMsgControl: z.array(z.string(), { error: 'MSG_FORMAT_INVALID' }).optional(),
  ForbidCallbackControl: z.array(z.string(), { error: 'MSG_FORMAT_INVALID' }).optional(),
};

type MessageFields = z.output<z.ZodObject<typeof messageFields>>;

/**
 * Turns validated Tencent message fields into a `NewMessage`: sender defaults to the admin identifier, MsgSeq to a
 * random 32-bit number, MsgLifeTime is capped at 7 days, and MsgBody + CloudCustomData over 12 KB is refused (80002).
 * `MsgTimeStamp` is accepted but the server's clock always sets MsgTime, so history order cannot be forged.
 */
export function toNewMessage(f: MessageFields, identifier: string, origin: Origin): NewMessage {
  const bodyJson = JSON.stringify(f.MsgBody);
  const size = Buffer.byteLength(bodyJson) + Buffer.byteLength(f.CloudCustomData ?? '');
  if (size > MAX_MESSAGE_BYTES) {
    throw new ImError('MESSAGE_TOO_LONG', `message body too long: ${size} bytes (max ${MAX_MESSAGE_BYTES})`);
  }
  const control = f.SendMsgControl ?? [];
  return {
    from: f.From_Account ?? identifier,
    msgSeq: f.MsgSeq ?? randomInt(0, 2 ** 32 - 1),
    msgRandom: f.MsgRandom,
    body: f.MsgBody,
    cloudCustomData: f.CloudCustomData,
    countsUnread: !control.includes('NoUnread'),
    noLastMsg: control.includes('NoLastMsg'),
    syncOtherMachine: f.SyncOtherMachine === 2 ? 2 : 1,
    lifeTime: Math.min(f.MsgLifeTime ?? MAX_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS),
    onlineOnly: f.OnlineOnlyFlag === 1,
    contentCrc: crc32(bodyJson + '\u0000' + (f.CloudCustomData ?? '')),
    forbidCallbacks: f.ForbidCallbackControl ?? [],
    origin,
  };
}
