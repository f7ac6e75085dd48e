import type { StoredMessage } from '../domain/types.ts';

/** One conversation in an account's conversation list. */
export interface ConversationSummary {
  peer: string;
  /** Unread messages from the peer. */
  unread: number;
  /** The owner's read watermark (`LastReadTime`, seconds; 0 = never read). */
  readTime: number;
  /** The peer's read watermark of this conversation: the owner's messages up to it are read by the peer. */
  peerReadTime: number;
  /** The newest message (either direction), unless none counts as last (NoLastMsg). */
  lastMessage: StoredMessage | undefined;
}

/** One page of an account's conversations, most recent first. */
export interface ConversationPage {
  conversations: ConversationSummary[];
  /** Pass as `before` for the next page; absent on the last page. */
  next?: number | undefined;
}

/** One page of a conversation's messages, newest first. */
export interface MessagePage {
  messages: StoredMessage[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number | undefined;
  /** The owner's read watermark (seconds). */
  readTime: number;
  /** The peer's read watermark (seconds): the owner's messages with `msgTime <= peerReadTime` are read by the peer. */
  peerReadTime: number;
}

/** Paging of listings: at most `limit` items strictly older than `before`. */
export interface PageRequest {
  limit: number;
  before?: number | undefined;
}
