import { SdkOptionsError } from '../errors/sdk-error.ts';
import type { MsgBodyElement } from './callback-payloads.ts';

/** First and last `ErrorCode` Tencent passes through to the sender when a before-callback refuses. */
export const CUSTOM_REFUSAL_CODE_MIN = 120001;
/** See {@link CUSTOM_REFUSAL_CODE_MIN}. */
export const CUSTOM_REFUSAL_CODE_MAX = 130000;

/**
 * Answer of a `C2C.CallbackBeforeSendMsg` handler, in Tencent's response fields:
 * `ErrorCode` 0 = send (optionally with a replaced `MsgBody` / `CloudCustomData`), 1 = refuse (the sender gets
 * 20006), 2 = drop silently (the sender sees success), 120001–130000 = refuse with this code and `ErrorInfo`
 * passed to the sender. Returning nothing means 0.
 */
export type BeforeSendMsgReply =
  | { ErrorCode: 0; ErrorInfo?: string; MsgBody?: MsgBodyElement[]; CloudCustomData?: string }
  | { ErrorCode: 1 | 2; ErrorInfo?: string }
  | { ErrorCode: number; ErrorInfo: string };

/** Reply of a handler of a command the SDK has no type for: Tencent fields merged into the answer. */
export interface GenericReply {
  ErrorCode: number;
  ErrorInfo?: string;
  [field: string]: unknown;
}

/** Let the message through unchanged. */
export function allowMessage(): BeforeSendMsgReply {
  return { ErrorCode: 0 };
}

/** Let the message through with a different body and/or custom data. */
export function replaceMessage(replacement: {
  MsgBody?: MsgBodyElement[];
  CloudCustomData?: string;
}): BeforeSendMsgReply {
  return { ErrorCode: 0, ...replacement };
}

/**
 * Refuse the message. Without `code` the sender gets Tencent's 20006; with a code in 120001–130000 the sender
 * gets that code and `info`.
 */
export function refuseMessage(info = '', code?: number): BeforeSendMsgReply {
  if (code === undefined) return { ErrorCode: 1, ErrorInfo: info };
  if (!isCustomRefusalCode(code)) {
    throw new SdkOptionsError(`refusal code ${code} is outside ${CUSTOM_REFUSAL_CODE_MIN}–${CUSTOM_REFUSAL_CODE_MAX}`);
  }
  return { ErrorCode: code, ErrorInfo: info };
}

/** Drop the message silently: not delivered, but the sender is told it was sent. */
export function dropMessage(): BeforeSendMsgReply {
  return { ErrorCode: 2 };
}

/** Whether `code` is in Tencent's custom refusal range 120001–130000. */
export function isCustomRefusalCode(code: number): boolean {
  return Number.isInteger(code) && code >= CUSTOM_REFUSAL_CODE_MIN && code <= CUSTOM_REFUSAL_CODE_MAX;
}

/** Whether a before-send reply's `ErrorCode` is one Tencent understands (0, 1, 2, 120001–130000). */
export function isValidBeforeSendCode(code: unknown): boolean {
  return code === 0 || code === 1 || code === 2 || (typeof code === 'number' && isCustomRefusalCode(code));
}
