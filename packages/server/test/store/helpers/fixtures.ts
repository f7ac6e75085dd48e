/**
 * Message and time helpers shared by the store tests. They build `NewMessage`s the way the REST layer would
 * (content CRC over the body, default controls) and wait for wall-clock second boundaries, since the store stamps
 * `msgTime` from the real clock.
 * @module
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import type { MsgElem, NewMessage, Origin } from '../../../src/domain/types.ts';

export const ORIGIN: Origin = { clientIp: '127.0.0.1', optPlatform: 'RESTAPI' };

/** The production duplicate-suppression window. */
export const DEDUP_WINDOW = 120;

let counter = 0;

/** A text body. */
export function textBody(text: string): MsgElem[] {
  return [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }];
}

/** CRC32 of a body, as the REST layer computes it for duplicate suppression. */
export function contentCrc(body: MsgElem[]): number {
  return crc32(JSON.stringify(body));
}

/**
 * A new message from `from` with a unique MsgSeq, a random MsgRandom and a unique text (so it is never a duplicate
 * unless a test reuses it). `overrides` win; the CRC is recomputed from the final body unless overridden.
 */
export function newMessage(from: string, overrides: Partial<NewMessage> = {}): NewMessage {
  counter++;
  const m: NewMessage = {
    from,
    msgSeq: counter,
    msgRandom: randomInt(0, 2 ** 32 - 1),
    body: textBody(`message ${counter} from ${from}`),
    cloudCustomData: `ccd-${counter}`,
    countsUnread: true,
    noLastMsg: false,
    syncOtherMachine: 1,
    lifeTime: 604800,
    onlineOnly: false,
    contentCrc: 0,
    forbidCallbacks: [],
    origin: ORIGIN,
    ...overrides,
  };
  if (overrides.contentCrc === undefined) m.contentCrc = contentCrc(m.body);
  return m;
}

/** Current Unix seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Waits, if needed, so that at least `marginMs` remain in the current wall-clock second. */
export async function withinOneSecond(marginMs = 500): Promise<void> {
  const ms = Date.now() % 1000;
  if (1000 - ms < marginMs) await sleep(1000 - ms + 5);
}

/** Waits until the wall clock reaches Unix second `s`. */
export async function untilSecond(s: number): Promise<void> {
  while (Date.now() < s * 1000) await sleep(s * 1000 - Date.now() + 5);
}
