import type { MsgElem, StoredMessage } from '../domain/types.ts';
import { msgIdOf } from '../core/msg-id.ts';

/** A message as the client protocol shows it. */
export interface ChatMessage {
  msgKey: string;
  msgId: string;
  from: string;
  to: string;
  msgSeq: number;
  msgRandom: number;
  /** Unix seconds. */
  msgTime: number;
  /** Tencent `MsgBody` elements; empty when recalled. */
  body: MsgElem[];
  cloudCustomData: string;
  recalled: boolean;
  /** For a message the viewer sent: whether the peer has read it (its `msgTime` is at or before the peer's read time). */
  isPeerRead?: boolean;
}

/**
 * The client view of a stored message. `peerReadTime` is the recipient's read watermark (seconds) when the viewer is
 * the sender; Tencent's C2C receipts are time-based (`LastReadTime`), so a message counts as read by the peer when it
 * was sent at or before that second.
 */
export function toChatMessage(m: StoredMessage, viewer: string, peerReadTime?: number): ChatMessage {
  const out: ChatMessage = {
    msgKey: m.msgKey,
    msgId: msgIdOf(m.msgKey),
    from: m.from,
    to: m.to,
    msgSeq: m.msgSeq,
    msgRandom: m.msgRandom,
    msgTime: m.msgTime,
    body: m.recalled ? [] : m.body,
    cloudCustomData: m.recalled ? '' : m.cloudCustomData,
    recalled: m.recalled,
  };
  if (m.from === viewer && m.to !== viewer) out.isPeerRead = peerReadTime !== undefined && m.msgTime <= peerReadTime;
  return out;
}
