/**
 * Domain types shared by the store, the core operations and the transports.
 *
 * Terminology
 * - **app**: one SDKAppID with its secret key, admin and callback config; apps share nothing.
 * - **account**: a UserID imported into an app.
 * - **message**: one C2C message from one account to another. The server gives it an `id` (a strictly increasing
 *   internal sequence, finer than seconds) and a `msgTime` (Unix seconds, never decreasing with `id`).
 * - **conversation**: one account's (the owner's) view of its messages with one peer: its unread count and its
 *   read watermark. A message from peer to owner is *read* when `id <= readUptoId` or `msgTime <= readTime`.
 * - **read report**: the owner moves the watermark forward (never backwards); fires `C2C.CallbackAfterMsgReport`.
 * - **callback event**: a row in the outbox, written in the same transaction as the change it reports, that the
 *   dispatcher POSTs to the app backend; **delivery attempt**: one POST of it; **lease**: a claim on an event
 *   by one dispatcher for a bounded time.
 * @module
 */

/** One element of `MsgBody`, e.g. `{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }`. */
export interface MsgElem {
  MsgType: string;
  MsgContent: Record<string, unknown>;
}

/** A message to store, as validated from `sendmsg`/`batchsendmsg` or the client gateway. */
export interface NewMessage {
  from: string;
  msgSeq: number;
  msgRandom: number;
  body: MsgElem[];
  cloudCustomData?: string | undefined;
  /** False for `SendMsgControl: ["NoUnread"]`: the message never counts as unread. */
  countsUnread: boolean;
  /** `SendMsgControl: ["NoLastMsg"]`: does not become the conversation's last message. */
  noLastMsg: boolean;
  /** `SyncOtherMachine`: 1 (default) sync to sender's devices and roaming, 2 do not. */
  syncOtherMachine: 1 | 2;
  /** `MsgLifeTime` in seconds (0 = online only, not kept offline). */
  lifeTime: number;
  /** `OnlineOnlyFlag: 1`: not stored, never counts. */
  onlineOnly: boolean;
  /** CRC32 of the content, for 120 s duplicate suppression (sender + MsgSeq + MsgRandom + content). */
  contentCrc: number;
  /** `ForbidCallbackControl` entries. */
  forbidCallbacks: string[];
  /** Where the send came from, for callbacks: client address and OptPlatform. */
  origin: Origin;
}

/** Who asked for a change: the caller's address and Tencent `OptPlatform` (`RESTAPI`, `Web`, `iOS`, …). */
export interface Origin {
  clientIp: string;
  optPlatform: string;
}

/** A stored message as read back. */
export interface StoredMessage {
  id: number;
  msgKey: string;
  from: string;
  to: string;
  msgSeq: number;
  msgRandom: number;
  /** Unix seconds. */
  msgTime: number;
  body: MsgElem[];
  cloudCustomData: string;
  recalled: boolean;
  countsUnread: boolean;
  syncOtherMachine: 1 | 2;
  /**
   * The recipient sent a per-message read receipt for it (`openim/c2c_msg_read_receipt`; `IsPeerRead: 1` in
   * `admin_getroammsg`). Not the conversation read watermark: a message can be below the recipient's `LastReadTime`
   * without a receipt, and the reverse. Absent (false) where a store does not read it.
   */
  readReceipt?: boolean;
}

/** Result of storing one message. */
export interface SendResult {
  message: StoredMessage;
  /** True when the send was a duplicate within 120 s; `message` is then the original. */
  duplicate: boolean;
  /** The recipient's total C2C unread count after the send. */
  recipientUnreadTotal: number;
}

/** Result of a batch send: the shared MsgKey/MsgTime and the recipients that failed. */
export interface BatchSendResult {
  msgKey: string;
  msgTime: number;
  sent: SendResult[];
  errors: { to: string; errorCode: number }[];
}

/** Input of a read report. */
export interface ReadReport {
  reporter: string;
  peer: string;
  /** `MsgReadTime` in seconds; absent = every message stored before this report. */
  readTime?: number | undefined;
  origin: Origin;
}

/** Result of a read report. */
export interface ReadResult {
  reporter: string;
  peer: string;
  /** The watermark after the report, in seconds (`LastReadTime`). */
  lastReadTime: number;
  /** Unread messages in this conversation after the report. */
  conversationUnread: number;
  /** The reporter's total C2C unread after the report (`UnreadMsgNum`). */
  unreadTotal: number;
  /** True when the watermark moved (some field advanced). */
  advanced: boolean;
}

/** Unread counts of one account. */
export interface UnreadCounts {
  total: number;
  perPeer: { peer: string; unread: number }[];
  /** Requested peers that are not imported accounts. */
  missingPeers: string[];
}

/** Query of `admin_getroammsg`. */
export interface RoamQuery {
  from: string;
  to: string;
  maxCnt: number;
  minTime: number;
  maxTime: number;
  lastMsgKey?: string | undefined;
}

/** One page of roaming messages, newest first. */
export interface RoamPage {
  messages: StoredMessage[];
  complete: boolean;
}

/** Input of a recall. */
export interface WithdrawRequest {
  from: string;
  to: string;
  msgKey: string;
  origin: Origin;
}

/** Result of a recall. */
export interface WithdrawResult {
  message: StoredMessage;
  /** The recipient's total unread after the recall. */
  recipientUnreadTotal: number;
  /** True when the message had been recalled before: nothing changed and no callback is due. */
  alreadyRecalled: boolean;
}

/** An account as imported. */
export interface AccountInput {
  userId: string;
  nick?: string | undefined;
  faceUrl?: string | undefined;
}

/** Input of per-message read receipts (`openim/c2c_msg_read_receipt`): `reader` acknowledges messages `peer` sent it. */
export interface ReadReceiptRequest {
  /** `Operator_Account`: the recipient of the messages, who read them. */
  reader: string;
  /** `Peer_Account`: the sender of the messages. */
  peer: string;
  /** The messages' MsgKeys (each a message from `peer` to `reader`). */
  msgKeys: string[];
  origin: Origin;
}

/** Result of read receipts. */
export interface ReadReceiptResult {
  reader: string;
  peer: string;
  /** The messages that got their receipt now, in request order (already receipted ones are left out: nothing changed). */
  receipted: StoredMessage[];
}

/** Input of a read-all (a client's "clear every C2C unread count"). */
export interface ReadAllRequest {
  reporter: string;
  origin: Origin;
}

/** Result of a read-all: one read result per conversation it read (those that had unread messages). */
export interface ReadAllResult {
  reporter: string;
  conversations: ReadResult[];
  /** The reporter's total C2C unread after it (0). */
  unreadTotal: number;
}

/** Input of a message edit (`openim/modify_c2c_msg`): new body and/or CloudCustomData of a stored message. */
export interface ModifyRequest {
  from: string;
  to: string;
  msgKey: string;
  /** Who edited it (`Operator_Account` of the callback). */
  operator: string;
  /** The new `MsgBody`; absent = unchanged. */
  body?: MsgElem[] | undefined;
  /** The new `CloudCustomData`; absent = unchanged. */
  cloudCustomData?: string | undefined;
  origin: Origin;
}

/** Result of a message edit: the message as it is after it. */
export interface ModifyResult {
  message: StoredMessage;
  operator: string;
}

/** Result of a kick: UserSigs issued at or before `sigsValidAfter` (Unix seconds) no longer log in. */
export interface KickResult {
  userId: string;
  sigsValidAfter: number;
}

/** What deleting a conversation from its owner's list asks (`recentcontact/delete`). */
export interface DeleteConversationRequest {
  owner: string;
  peer: string;
  /** Also clear the owner's view of the conversation's history so far (`ClearRamble` 1). */
  clearHistory: boolean;
}

/** Result of deleting a conversation from its owner's list. */
export interface DeleteConversationResult {
  owner: string;
  peer: string;
  /** Whether the owner had a conversation with the peer (false: nothing changed). */
  existed: boolean;
  /** The owner's total unread count afterwards. */
  unreadTotal: number;
}

/** A gateway login state change, reported as `State.StateChange`. */
export interface StateChange {
  userId: string;
  /** `Info.Action`: `Login`, `Logout` (the server ended the session) or `Disconnect` (the connection broke). */
  action: 'Login' | 'Logout' | 'Disconnect';
  /** `Info.Reason`: `Register` (login), `Unregister` (logout), `LinkClose` (closed), `TimeOut` (heartbeat lost). */
  reason: 'Register' | 'Unregister' | 'LinkClose' | 'TimeOut';
  origin: Origin;
}

/** Result of deleting accounts. */
export interface DeleteAccountsResult {
  deleted: string[];
  /** Requested ids that were not accounts. */
  missing: string[];
}
