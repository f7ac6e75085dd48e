/**
 * Bodies of the C2C callbacks, field for field as Tencent documents them (shared reference §3, §6.7).
 *
 * Terminology: a *callback* is one HTTP POST from Tencent Cloud IM or Readwire to the app backend; its
 * *command* (`CallbackCommand`) names the event; *before* callbacks (`…Before…`) let the app decide what
 * happens, *after* callbacks only report. Times ending in `Time` are Unix seconds, except `EventTime`, which is
 * milliseconds. Numbers that arrive as numeric strings are converted to numbers before handlers see them.
 * @module
 */

/** One element of a message body, e.g. `{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }`. */
export interface MsgBodyElement {
  /** `TIMTextElem`, `TIMCustomElem`, `TIMImageElem`, `TIMFaceElem`, `TIMLocationElem`, `TIMSoundElem`, … */
  MsgType: string;
  /** Content of the element; its fields depend on `MsgType` (`Text` for `TIMTextElem`). */
  MsgContent: Record<string, unknown>;
}

/** `C2C.CallbackAfterMsgReport`: a user reported a one-to-one conversation read (client or `admin_set_msg_read`). */
export interface AfterMsgReportPayload {
  CallbackCommand: 'C2C.CallbackAfterMsgReport';
  /** UserID that reported the conversation read. */
  Report_Account: string;
  /** The other user of the conversation. */
  Peer_Account: string;
  /** Seconds: every message of this conversation before this time is read. */
  LastReadTime: number;
  /** `Report_Account`'s total C2C unread count over all conversations (Readwire always sends it; Tencent's newest sample omits it). */
  UnreadMsgNum?: number;
  /** Milliseconds when the event fired (absent in Tencent's older documentation). */
  EventTime?: number;
}

/** Fields shared by the send callbacks. */
interface SendMsgFields {
  From_Account: string;
  To_Account: string;
  /** Message sequence (32-bit unsigned). */
  MsgSeq: number;
  /** Message random (32-bit unsigned). */
  MsgRandom: number;
  /** Seconds when the message was sent. */
  MsgTime: number;
  /** Unique key of the message, used to recall it. */
  MsgKey: string;
  /** Client-side unique id (newer Tencent versions). */
  MsgId?: string;
  /** `1`: online-only message (not stored, not counted as unread). */
  OnlineOnlyFlag: number;
  MsgBody: MsgBodyElement[];
  CloudCustomData?: string;
  /** Milliseconds when the event fired, when the sender includes it. */
  EventTime?: number;
}

/** `C2C.CallbackBeforeSendMsg`: a message is about to be sent; the handler may allow, refuse, drop or rewrite it. */
export interface BeforeSendMsgPayload extends Omit<SendMsgFields, 'MsgKey'> {
  CallbackCommand: 'C2C.CallbackBeforeSendMsg';
  /** In Tencent's documentation; Readwire asks before the message is stored, so it has no key yet and omits it. */
  MsgKey?: string;
}

/** `C2C.CallbackAfterSendMsg`: a message was sent (fired even when delivery failed; see `SendMsgResult`). */
export interface AfterSendMsgPayload extends SendMsgFields {
  CallbackCommand: 'C2C.CallbackAfterSendMsg';
  /** `0` = delivered. */
  SendMsgResult: number;
  /** `"send msg succeed"` on success. */
  ErrorInfo: string;
  /** `To_Account`'s total C2C unread count. */
  UnreadMsgNum: number;
}

/** `C2C.CallbackAfterMsgWithDraw` (capital D): a message was recalled. */
export interface AfterMsgWithDrawPayload {
  CallbackCommand: 'C2C.CallbackAfterMsgWithDraw';
  From_Account: string;
  To_Account: string;
  MsgKey: string;
  /** `To_Account`'s total C2C unread count. */
  UnreadMsgNum: number;
  EventTime?: number;
}

/** One message acknowledged in a `C2C.CallbackAfterMsgReadReceipt`. */
export interface C2CMsgInfo {
  From_Account: string;
  To_Account: string;
  MsgKey: string;
  MsgId?: string;
}

/** `C2C.CallbackAfterMsgReadReceipt`: per-message read receipts were sent. */
export interface AfterMsgReadReceiptPayload {
  CallbackCommand: 'C2C.CallbackAfterMsgReadReceipt';
  /** The reader. */
  Operator_Account: string;
  /** The sender of the acknowledged messages. */
  Peer_Account: string;
  C2CMsgInfo: C2CMsgInfo[];
  EventTime: number;
}

/** A group whose unread messages were cleared, in `C2C.CallbackAfterMsgReadAll`. */
export interface GroupReadInfo {
  GroupId: string;
  MsgSeq: number;
}

/** `C2C.CallbackAfterMsgReadAll`: a user cleared all unread messages (one-to-one and group). */
export interface AfterMsgReadAllPayload {
  CallbackCommand: 'C2C.CallbackAfterMsgReadAll';
  Report_Account: string;
  EventTime: number;
  GroupReadInfo?: GroupReadInfo[];
}

/** `C2C.CallbackAfterModifyMsg`: a one-to-one message was edited (its body and/or CloudCustomData). */
export interface AfterModifyMsgPayload {
  CallbackCommand: 'C2C.CallbackAfterModifyMsg';
  /** Who edited it (a client user, or the App admin through REST). */
  Operator_Account: string;
  From_Account: string;
  To_Account: string;
  MsgSeq: number;
  MsgRandom: number;
  /** Seconds when the message was sent. */
  MsgTime: number;
  MsgKey: string;
  /** Client-side unique id (Readwire always sends it). */
  MsgId?: string;
  /** The body after the edit. */
  MsgBody: MsgBodyElement[];
  CloudCustomData?: string;
  EventTime: number;
}

/** `State.StateChange`: a user logged in, logged out or was disconnected. `OptPlatform` spells iOS `IOS` here. */
export interface StateChangePayload {
  CallbackCommand: 'State.StateChange';
  Info: {
    /** `Login`, `Logout` or `Disconnect`. */
    Action: string;
    To_Account: string;
    /** `Register` (login), `Unregister` (logout), `LinkClose` (connection closed), `TimeOut` (heartbeat lost), … */
    Reason: string;
  };
  /** Devices kicked off by this login, where the sender reports them. */
  KickedDevice?: { Platform: string }[];
  EventTime?: number;
}

/** Payload type of each command the SDK knows. */
export interface CallbackPayloadMap {
  'C2C.CallbackAfterMsgReport': AfterMsgReportPayload;
  'C2C.CallbackBeforeSendMsg': BeforeSendMsgPayload;
  'C2C.CallbackAfterSendMsg': AfterSendMsgPayload;
  'C2C.CallbackAfterMsgWithDraw': AfterMsgWithDrawPayload;
  'C2C.CallbackAfterMsgReadReceipt': AfterMsgReadReceiptPayload;
  'C2C.CallbackAfterMsgReadAll': AfterMsgReadAllPayload;
  'C2C.CallbackAfterModifyMsg': AfterModifyMsgPayload;
  'State.StateChange': StateChangePayload;
}

/** A command with a typed payload. */
export type KnownCallbackCommand = keyof CallbackPayloadMap;

/** Body of a command the SDK has no type for (group callbacks, …). */
export interface GenericCallbackPayload {
  CallbackCommand: string;
  [field: string]: unknown;
}

/** Payload type for a command: the typed one when known, else {@link GenericCallbackPayload}. */
export type PayloadFor<C extends string> = C extends KnownCallbackCommand
  ? CallbackPayloadMap[C]
  : GenericCallbackPayload;

/** Any payload a receiver can hand to an `onAny` handler. */
export type AnyCallbackPayload = CallbackPayloadMap[KnownCallbackCommand] | GenericCallbackPayload;
