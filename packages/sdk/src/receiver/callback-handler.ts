import type { CallbackContext } from './callback-context.ts';
import type { AnyCallbackPayload, KnownCallbackCommand, PayloadFor } from './callback-payloads.ts';
import type { BeforeSendMsgReply, GenericReply } from './callback-reply.ts';

/** Commands whose handler decides the answer. */
export type BeforeCallbackCommand = 'C2C.CallbackBeforeSendMsg';

/**
 * What a handler of command `C` may return: a reply for before-callbacks and unknown commands; anything for
 * after-callbacks (ignored, so `e => e.UnreadMsgNum` and async handlers both fit).
 */
export type HandlerReturn<C extends string> = C extends BeforeCallbackCommand
  ? BeforeSendMsgReply | void
  : C extends KnownCallbackCommand
    ? unknown
    : GenericReply | void;

/** A handler of command `C`: its payload is typed from the command. May be async. */
export type CallbackHandler<C extends string> = (
  event: PayloadFor<C>,
  context: CallbackContext<C>,
) => HandlerReturn<C> | Promise<HandlerReturn<C>>;

/** A handler for every command, run after the command's own handlers. */
export type AnyCallbackHandler = (
  event: AnyCallbackPayload,
  context: CallbackContext,
) => BeforeSendMsgReply | GenericReply | void | Promise<BeforeSendMsgReply | GenericReply | void>;
