/**
 * The `MsgId` of a C2C message, derived from its `MsgKey`. Tencent gives a message two identifiers of different
 * shapes: `MsgKey` (`{seq}_{random}_{time}`, the key REST commands take) and `MsgId` (`{id}-{time}-{random}`, the
 * client-side id). Readwire's MsgKey is `{id}_{MsgRandom}_{MsgTime}`, so the MsgId is the same three numbers in
 * MsgId order: `{id}-{MsgTime}-{MsgRandom}`. Being a function of the MsgKey, it is the same in every answer,
 * callback, history page and gateway frame, and the copies of one `batchsendmsg` (which share a MsgKey) share it too.
 *
 * @example msgIdOf('1_7_1796282160') === '1-1796282160-7'
 */
export function msgIdOf(msgKey: string): string {
  const parts = msgKey.split('_');
  if (parts.length !== 3) return msgKey;
  return `${parts[0]}-${parts[2]}-${parts[1]}`;
}
