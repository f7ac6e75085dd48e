/**
 * Request and response bodies of the REST commands, with Tencent's field names (shared reference §4–§7).
 * @module
 */
import type { MsgBodyElement } from '../receiver/callback-payloads.ts';

/** Fields every REST answer carries. */
export interface RestEnvelope {
  ActionStatus: 'OK' | 'FAIL';
  /** 0 on success. */
  ErrorCode: number;
  ErrorInfo: string;
}

/** A successful answer: the envelope plus the command's fields. */
export type RestResponse<T = object> = T & RestEnvelope;

/** An account to import. `UserID` ≤ 32 bytes. */
export interface AccountImportRequest {
  UserID: string;
  Nick?: string;
  FaceUrl?: string;
}

/** `multiaccount_import`: the new form (`AccountList`) or the old one (`Accounts`), ≤ 100 each. */
export type MultiaccountImportRequest = { AccountList: AccountImportRequest[] } | { Accounts: string[] };

/** UserIDs that could not be imported. */
export interface MultiaccountImportResult {
  FailAccounts?: string[];
}

/** `account_check`: up to 100 UserIDs. */
export interface AccountCheckRequest {
  CheckItem: { UserID: string }[];
}

/** Import state of each checked UserID. */
export interface AccountCheckResult {
  ResultItem: { UserID: string; ResultCode: number; ResultInfo: string; AccountStatus: 'Imported' | 'NotImported' }[];
}

/** Fields shared by `sendmsg` and `batchsendmsg`. `MsgRandom` is filled with a random 32-bit number when omitted. */
export interface MessageFields {
  From_Account?: string;
  MsgRandom?: number;
  MsgSeq?: number;
  MsgTimeStamp?: number;
  MsgBody: MsgBodyElement[];
  CloudCustomData?: string;
  /** 1 = sync to the sender's devices and roaming; 2 = do not. */
  SyncOtherMachine?: 1 | 2;
  /** Offline storage seconds, ≤ 604800. */
  MsgLifeTime?: number;
  /** 1 = online only: not stored, not counted as unread. */
  OnlineOnlyFlag?: 0 | 1;
  SendMsgControl?: ('NoUnread' | 'NoLastMsg' | 'WithMuteNotifications')[];
  ForbidCallbackControl?: ('ForbidBeforeSendMsgCallback' | 'ForbidAfterSendMsgCallback')[];
  OfflinePushInfo?: Record<string, unknown>;
  SupportMessageExtension?: 0 | 1;
  IsNeedReadReceipt?: 0 | 1;
}

/** `openim/sendmsg`. */
export interface SendMsgRequest extends MessageFields {
  To_Account: string;
}

/** Answer of `sendmsg`: `MsgKey` identifies the message (for recall). */
export interface SendMsgResult {
  /** Seconds. */
  MsgTime: number;
  MsgKey: string;
  MsgId?: string;
}

/** `openim/batchsendmsg`: up to 500 recipients; triggers no callbacks. */
export interface BatchSendMsgRequest extends MessageFields {
  To_Account: string[];
}

/** Answer of `batchsendmsg`; `ErrorList` names recipients that failed (70107 = not an account). */
export interface BatchSendMsgResult {
  MsgKey: string;
  MsgId?: string;
  ErrorList?: { To_Account: string; ErrorCode: number }[];
}

/** `openim/admin_set_msg_read`: `Report_Account` has read its conversation with `Peer_Account`. */
export interface AdminSetMsgReadRequest {
  Report_Account: string;
  Peer_Account: string;
  /** Seconds: messages up to this time are read; default now. */
  MsgReadTime?: number | string;
}

/** `openim/get_c2c_unread_msg_num`: total, and per peer when `Peer_Account` (≤ 10) is given. */
export interface GetC2cUnreadMsgNumRequest {
  To_Account: string;
  Peer_Account?: string[];
}

/** Unread counts. */
export interface GetC2cUnreadMsgNumResult {
  AllC2CUnreadMsgNum?: number;
  C2CUnreadMsgNumList?: { Peer_Account: string; C2CUnreadMsgNum: number }[];
  ErrorList?: { Peer_Account: string; ErrorCode: number }[];
}

/**
 * `openim/admin_getroammsg`: one page of a conversation's history, newest first, seen from `Operator_Account`
 * with `Peer_Account` (Tencent's current form), or from `From_Account` with `To_Account` (the older form).
 */
export type AdminGetRoamMsgRequest = (
  { Operator_Account: string; Peer_Account: string } | { From_Account: string; To_Account: string }
) & {
  MaxCnt: number;
  /** Seconds. */
  MinTime: number;
  /** Seconds; for the next page use the previous `LastMsgTime`. */
  MaxTime: number;
  LastMsgKey?: string;
};

/** One message of `admin_getroammsg`. */
export interface RoamMsg {
  From_Account: string;
  To_Account: string;
  MsgSeq: number;
  MsgRandom: number;
  MsgTimeStamp: number;
  /** 0 = normal, 8 = recalled. */
  MsgFlagBits: number;
  /** 1 when the recipient sent a per-message read receipt for it (`c2c_msg_read_receipt`), else 0; not the conversation read watermark. */
  IsPeerRead?: number;
  MsgKey: string;
  MsgId?: string;
  MsgBody: MsgBodyElement[];
  CloudCustomData?: string;
}

/** A page of history: `Complete` 1 = no more pages. */
export interface AdminGetRoamMsgResult {
  Complete: 0 | 1;
  MsgCnt: number;
  LastMsgTime: number;
  LastMsgKey: string;
  MsgList: RoamMsg[];
}

/** `openim/admin_msgwithdraw`: recalls a message. */
export interface AdminMsgWithdrawRequest {
  From_Account: string;
  To_Account: string;
  MsgKey: string;
}

/**
 * `openim/c2c_msg_read_receipt`: `Operator_Account` (the reader) acknowledges messages `Peer_Account` sent it; each
 * item's `From_Account` is `Peer_Account` and `To_Account` is `Operator_Account`.
 */
export interface C2cMsgReadReceiptRequest {
  Operator_Account: string;
  Peer_Account: string;
  C2CMsgInfo: { From_Account: string; To_Account: string; MsgKey: string }[];
}

/**
 * `openim/importmsg`: one message from an old system. `SyncFromOldSystem` 2 = history (not counted as unread, not
 * pushed), 5 = real-time import (counted and pushed), 1 = the older value for real-time import.
 */
export interface ImportMsgRequest {
  SyncFromOldSystem: 1 | 2 | 5;
  From_Account: string;
  To_Account: string;
  MsgSeq: number;
  MsgRandom: number;
  /** Seconds: the message's original time, kept. */
  MsgTimeStamp: number;
  MsgBody: MsgBodyElement[];
  CloudCustomData?: string;
}

/** `openim/modify_c2c_msg`: new `MsgBody` and/or `CloudCustomData` of the message with `MsgKey`. */
export interface ModifyC2cMsgRequest {
  From_Account: string;
  To_Account: string;
  MsgKey: string;
  MsgBody?: MsgBodyElement[];
  CloudCustomData?: string;
}

/** `openim/query_online_status` (older name `querystate`, which answers `State` for `Status`). */
export interface QueryOnlineStatusRequest {
  /** Up to 500 UserIDs. */
  To_Account: string[];
  /** 1: per-platform `Detail`. */
  IsNeedDetail?: 0 | 1;
}

/** Online state per user; `ErrorList` names accounts that are not imported (70107). */
export interface QueryOnlineStatusResult {
  QueryResult: { To_Account: string; Status: string; Detail?: { Platform: string; Status: string }[] }[];
  ErrorList?: { To_Account: string; ErrorCode: number }[];
}

/** `recentcontact/get_list`: zeros for the first page, then the previous answer's cursors. */
export interface RecentContactListRequest {
  From_Account: string;
  TimeStamp: number;
  StartIndex: number;
  TopTimeStamp: number;
  TopStartIndex: number;
  /** Tencent's flag bits, e.g. 7. */
  AssistFlags: number;
}

/**
 * `recentcontact/delete`: takes `From_Account`'s conversation with `To_Account` off its list (until a new message);
 * `ClearRamble: 1` also clears `From_Account`'s roaming messages of it (the peer keeps them). `Type` is 1 (one-to-one).
 */
export interface DeleteRecentContactRequest {
  From_Account: string;
  Type: 1;
  To_Account: string;
  /** 1: also clear the caller's roaming messages of the conversation; 0 (default): keep them. */
  ClearRamble?: 0 | 1;
}

/** One page of conversations, most recent first; `CompleteFlag` 1 = the last page. */
export interface RecentContactListResult {
  SessionItem: { Type: number; To_Account?: string; MsgTime: number; TopFlag: number; UnreadMsgNum?: number }[];
  CompleteFlag: 0 | 1;
  TimeStamp: number;
  StartIndex: number;
  TopTimeStamp: number;
  TopStartIndex: number;
}
