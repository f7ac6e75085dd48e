import type { StoredMessage } from '../domain/types.ts';

/**
 * Kinds of sync-log entries, i.e. what a user's devices are told:
 * - `message`: a message to or from the user was stored;
 * - `unread`: the user read a conversation (on any device, or through REST), so its unread counts changed;
 * - `peerRead`: the peer read the conversation up to a time (the read receipt, Tencent's MESSAGE_READ_BY_PEER);
 * - `withdraw`: a message to or from the user was recalled;
 * - `readReceipt`: the peer sent per-message read receipts for messages the user sent;
 * - `modify`: a message to or from the user was edited (its body or CloudCustomData);
 * - `kick`: the user was kicked: every device's connection is closed.
 */
export type SyncKind = 'message' | 'unread' | 'peerRead' | 'withdraw' | 'readReceipt' | 'modify' | 'kick';

/**
 * An entry to append to one user's sync log, produced inside the transaction of the change it reports. It is written
 * only if the user has a log (`Store.startSyncLog`).
 */
export interface SyncEventInput {
  userId: string;
  kind: SyncKind;
  /** The stored message the entry is about; read back joined, so the log does not copy message bodies. */
  msgId?: number | undefined;
  /** Small JSON fields of the entry. */
  data: Record<string, unknown>;
  /**
   * When set, the store adds `unread: { peer, conversation, total }`: the user's unread count of the conversation
   * with this peer and their total, as they are right after the change (read inside the same transaction).
   */
  countsPeer?: string | undefined;
}

/** A sync-log entry as read back. */
export interface SyncEvent {
  /** Position in the log: strictly increasing across all users, never reused. A device's cursor is the last one it saw. */
  seq: number;
  appId: number;
  userId: string;
  kind: SyncKind;
  /** The entry's fields (with `unread` when the input asked for counts). */
  data: Record<string, unknown>;
  /** The message for `message` and `modify` entries (as it is now: a recalled message reads back recalled). */
  message?: StoredMessage | undefined;
  /** Commit time, ms. */
  createdAt: number;
}

/** A page of the sync log and where the log stands. */
export interface SyncPage {
  /** Entries with `seq > after`, oldest first. */
  events: SyncEvent[];
  /** The highest seq ever written when the page was read (0 for an empty log). */
  head: number;
  /** The highest seq pruned: a cursor below it may have missed pruned entries and cannot be resumed. */
  horizon: number;
}

/** Which part of the sync log to read: one user's entries, or (without `userId`) everyone's. */
export interface SyncQuery {
  after: number;
  limit: number;
  appId?: number | undefined;
  userId?: string | undefined;
}
