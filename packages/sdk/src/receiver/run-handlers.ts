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

/**
 * Runs the command's handlers, then the `onAny` handlers, in registration order. After-callbacks of known
 * commands ignore return values and run every handler; for before-callbacks and unknown commands, the first
 * handler that returns a reply (an object with a numeric `ErrorCode`) decides and the rest are skipped.
 * A thrown error becomes `HANDLER_FAILED` (with the original as `cause`).
 */
export async function runHandlers(
  handlers: readonly AnyCallbackHandler[],
  payload: AnyCallbackPayload,
  context: CallbackContext,
): Promise<HandlerReply | undefined> {
  const { command } = context;
  const repliesMatter = command === 'C2C.CallbackBeforeSendMsg' || !(command in PAYLOAD_SCHEMAS);
  for (const handler of handlers) {
    let returned: unknown;
    try {
      returned = await handler(payload, context);
    } catch (cause) {
      const name = cause instanceof Error ? cause.name : typeof cause;
      throw new CallbackError('HANDLER_FAILED', `the ${command} handler threw (${name})`, { cause });
    }
    const reply = repliesMatter ? asReply(returned) : undefined;
    if (!reply) continue;
    if (command === 'C2C.CallbackBeforeSendMsg' && !isValidBeforeSendCode(reply.ErrorCode)) {
      throw new CallbackError('HANDLER_FAILED', `the ${command} handler replied ErrorCode ${reply.ErrorCode}`);
    }
    return reply;
  }
  return undefined;
}
