/**
 * The transport-free callback receiver: verification, typed payloads, handlers and replies.
 * @module
 */
export { createCallbackReceiver, type CallbackReceiver } from './create-callback-receiver.ts';
export {
  DEFAULT_REQUEST_TIME_WINDOW_SECONDS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_DEDUPE_TTL_MS,
  type CallbackReceiverOptions,
  type DedupeOptions,
} from './receiver-options.ts';
export type { CallbackHandler, AnyCallbackHandler, HandlerReturn, BeforeCallbackCommand } from './callback-handler.ts';
export type { CallbackContext } from './callback-context.ts';
export type { CallbackRequest, CallbackResponse, RequestHeaders } from './callback-request.ts';
export type {
  AfterMsgReportPayload,
  BeforeSendMsgPayload,
  AfterSendMsgPayload,
  AfterMsgWithDrawPayload,
  AfterMsgReadReceiptPayload,
  AfterMsgReadAllPayload,
  AfterModifyMsgPayload,
  StateChangePayload,
  C2CMsgInfo,
  GroupReadInfo,
  MsgBodyElement,
  CallbackPayloadMap,
  KnownCallbackCommand,
  GenericCallbackPayload,
  PayloadFor,
  AnyCallbackPayload,
} from './callback-payloads.ts';
export {
  allowMessage,
  refuseMessage,
  dropMessage,
  replaceMessage,
  isCustomRefusalCode,
  CUSTOM_REFUSAL_CODE_MIN,
  CUSTOM_REFUSAL_CODE_MAX,
  type BeforeSendMsgReply,
  type GenericReply,
} from './callback-reply.ts';
export { createMemoryDedupeStore, type DedupeStore, type MemoryDedupeStoreOptions } from './dedupe-store.ts';
export { normalizeOptPlatform, type OptPlatform } from './opt-platform.ts';
export type { Logger } from './logger.ts';
