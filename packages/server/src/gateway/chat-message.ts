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
  /**
   * For a message the viewer sent: the peer's conversation read watermark covers it (its `msgTime` is at or before
   * the peer's `LastReadTime`, `peerReadTime`).
   */
  withinPeerReadTime?: boolean;
  /** For a message the viewer sent: the peer sent a per-message read receipt for it (REST `IsPeerRead: 1`). */
  readReceipt?: boolean;
}

/**
 * The client view of a stored message. `peerReadTime` is the recipient's conversation read watermark (seconds) when
 * the viewer is the sender: a message sent at or before that second is `withinPeerReadTime`. `readReceipt` is the
 * separate per-message receipt (`c2c_msg_read_receipt`).
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
  if (m.from === viewer && m.to !== viewer) {
    out.withinPeerReadTime = peerReadTime !== undefined && m.msgTime <= peerReadTime;
    out.readReceipt = m.readReceipt === true;
  }
  return out;
}
