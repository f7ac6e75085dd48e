/**
 * The data the Readwire client gateway sends and accepts, as the client exposes it. Field meanings follow Tencent
 * Cloud IM: times are Unix **seconds**, message bodies are Tencent `MsgBody` elements.
 * @module
 */

/** Tencent `OptPlatform` values a client can declare; the server reports it in callbacks. */
export type Platform = 'Web' | 'Android' | 'iOS' | 'Windows' | 'Mac' | 'iPad';

/** One element of a Tencent `MsgBody`, e.g. `{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }`. */
export interface MsgElem {
  MsgType: string;
  MsgContent: Record<string, unknown>;
}

/** A one-to-one message. */
export interface ChatMessage {
  /** Unique key (`MsgKey`), e.g. for recalls. */
  msgKey: string;
  msgId: string;
  from: string;
  to: string;
  msgSeq: number;
  msgRandom: number;
  /** Unix seconds. */
  msgTime: number;
  /** Empty when recalled. */
  body: MsgElem[];
  cloudCustomData: string;
  recalled: boolean;
  /**
   * On messages you sent (in listings): the peer's conversation read watermark covers it (sent at or before the
   * peer's `peerReadTime`, moved by the peer's `markRead`). Not a per-message receipt.
   */
  withinPeerReadTime?: boolean;
  /**
   * On messages you sent (in listings): the peer sent a per-message read receipt for it (`sendReadReceipts`; REST
   * `IsPeerRead: 1`). Independent of `withinPeerReadTime`.
   */
  readReceipt?: boolean;
}

/** Your unread counts after a change: of the conversation with `peer`, and in total. */
export interface UnreadCounts {
  peer: string;
  conversation: number;
  total: number;
}

/** A conversation in your list. */
export interface Conversation {
  peer: string;
  unread: number;
  /** Your read watermark (seconds; 0 = never). */
  readTime: number;
  /** The peer's read watermark: your messages up to it are read. */
  peerReadTime: number;
  lastMessage: ChatMessage | null;
}

/** A page of conversations, most recent first. */
export interface ConversationList {
  conversations: Conversation[];
  totalUnread: number;
  /** Pass as `before` for the next page; absent on the last page. */
  next?: string;
}

/** A page of one conversation's messages, newest first. */
export interface MessagePage {
  messages: ChatMessage[];
  readTime: number;
  peerReadTime: number;
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: string;
}

/** The result of a send. */
export interface SendResult {
  /** The stored message (absent when the app backend silently dropped it). */
  message?: ChatMessage;
  /** True when the server had already stored this send (same MsgSeq/MsgRandom/content within 120 s). */
  duplicate?: boolean;
  /** True when the app backend's `C2C.CallbackBeforeSendMsg` silently dropped the message. */
  dropped?: boolean;
  msgKey?: string;
  msgTime?: number;
}

/** The result of marking a conversation read. */
export interface MarkReadResult {
  peer: string;
  /** The read watermark after the report (seconds). */
  readTime: number;
  unread: UnreadCounts;
}

/** Unread totals. */
export interface UnreadTotals {
  totalUnread: number;
  /** When peers were asked for: each conversation's count. */
  peers?: { peer: string; unread: number }[];
  /** Asked-for peers that are not accounts. */
  missingPeers?: string[];
}

/** What the server said when the client logged in. */
export interface LoginInfo {
  userId: string;
  platform: string;
  /** The cursor this session started from. */
  cursor: string;
  /** True when the previous cursor could not be resumed: reload conversations and messages. */
  resync: boolean;
  /** UserSig expiry (Unix seconds). */
  expiresAt: number;
  heartbeatMs: number;
  limits: { maxFrameBytes: number; requestsPerSecond: number };
}

/** A new message to or from you (from another device of yours, or the REST API). */
export interface MessageEvent {
  message: ChatMessage;
  /** Your counts after it; absent for online-only messages. */
  unread?: UnreadCounts;
  /** True for `onlineOnly` messages, which are not stored and not replayed. */
  onlineOnly?: boolean;
}

/** You read a conversation (on any device, or an admin did through REST): its counts changed. */
export interface UnreadEvent {
  peer: string;
  readTime: number;
  unread: UnreadCounts;
}

/** The peer read your messages up to `readTime` (seconds): Tencent's MESSAGE_READ_BY_PEER. */
export interface PeerReadEvent {
  peer: string;
  readTime: number;
}

/** A message to or from you was recalled. */
export interface WithdrawEvent {
  msgKey: string;
  from: string;
  to: string;
  unread: UnreadCounts;
}

/** The peer sent per-message read receipts for messages you sent (REST `IsPeerRead` becomes 1 for them). */
export interface ReadReceiptEvent {
  /** The reader. */
  peer: string;
  messages: { msgKey: string; msgId: string }[];
}

/** The result of sending read receipts. */
export interface ReadReceiptResult {
  peer: string;
  /** The MsgKeys receipted by this call (keys receipted before are left out). */
  receipted: string[];
}

/** The result of marking every conversation read. */
export interface MarkAllReadResult {
  /** The conversations read (those that had unread messages), each with its read watermark after it (seconds). */
  peers: { peer: string; readTime: number }[];
  /** Your total unread after it (0). */
  totalUnread: number;
}

/** A message to or from you was edited (its body or CloudCustomData): `message` is as it is now. */
export interface ModifyEvent {
  message: ChatMessage;
}
