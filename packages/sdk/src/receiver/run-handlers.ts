import { CallbackError } from '../errors/sdk-error.ts';
import type { CallbackContext } from './callback-context.ts';
import type { AnyCallbackHandler } from './callback-handler.ts';
import type { AnyCallbackPayload } from './callback-payloads.ts';
import { isValidBeforeSendCode } from './callback-reply.ts';
import { PAYLOAD_SCHEMAS } from './payload-schemas.ts';

/** A reply a handler returned: Tencent fields merged into the answer. */
export interface HandlerReply {
  ErrorCode: number;
  ErrorInfo?: string;
  [field: string]: unknown;
}

function asReply(value: unknown): HandlerReply | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return typeof (value as { ErrorCode?: unknown }).ErrorCode === 'number' ? (value as HandlerReply) : undefined;
}

function handlerFailed(command: string, cause: unknown): CallbackError {
  const name = cause instanceof Error ? cause.name : typeof cause;
  return new CallbackError('HANDLER_FAILED', `the ${command} handler threw (${name})`, { cause });
}

function replyOf(command: string, returned: unknown): HandlerReply | undefined {
  const repliesMatter = command === 'C2C.CallbackBeforeSendMsg' || !(command in PAYLOAD_SCHEMAS);
  const reply = repliesMatter ? asReply(returned) : undefined;
  if (reply && command === 'C2C.CallbackBeforeSendMsg' && !isValidBeforeSendCode(reply.ErrorCode)) {
    throw new CallbackError('HANDLER_FAILED', `the ${command} handler replied ErrorCode ${reply.ErrorCode}`);
  }
  return reply;
}

/**
 * Runs the command's handlers, then the `onAny` handlers, in registration order. After-callbacks of known
 * commands ignore return values and run every handler; for before-callbacks and unknown commands, the first
 * handler that returns a reply (an object with a numeric `ErrorCode`) decides and the rest are skipped.
 * A thrown error becomes `HANDLER_FAILED` (with the original as `cause`). Synchronous handlers complete
 * synchronously; from the first handler that returns a promise on, the result is a promise.
 */
export function runHandlers(
  handlers: readonly AnyCallbackHandler[],
  payload: AnyCallbackPayload,
  context: CallbackContext,
  from = 0,
): HandlerReply | undefined | Promise<HandlerReply | undefined> {
  const { command } = context;
  for (let i = from; i < handlers.length; i++) {
    let returned: unknown;
    try {
      returned = (handlers[i] as AnyCallbackHandler)(payload, context);
    } catch (cause) {
      throw handlerFailed(command, cause);
    }
    if (returned instanceof Promise) {
      return (returned as Promise<unknown>).then(
        (value) => replyOf(command, value) ?? runHandlers(handlers, payload, context, i + 1),
        (cause: unknown) => {
          throw handlerFailed(command, cause);
        },
      );
    }
    const reply = replyOf(command, returned);
    if (reply) return reply;
  }
  return undefined;
}
