import type { CallbackContext } from './callback-context.ts';
import type { AnyCallbackHandler } from './callback-handler.ts';
import type { AnyCallbackPayload } from './callback-payloads.ts';
import type { CallbackResponse } from './callback-request.ts';
import { okResponse, replyResponse } from './callback-responses.ts';
import type { ResolvedReceiverOptions } from './receiver-options.ts';
import { runHandlers, type HandlerReply } from './run-handlers.ts';

function toResponse(reply: HandlerReply | undefined): CallbackResponse {
  return reply ? replyResponse(reply) : okResponse();
}

async function dispatchWithOptions(
  handlers: readonly AnyCallbackHandler[],
  payload: AnyCallbackPayload,
  context: CallbackContext,
  options: ResolvedReceiverOptions,
): Promise<CallbackResponse> {
  const { logger, dedupe } = options;
  const isBefore = context.command === 'C2C.CallbackBeforeSendMsg';
  const eventId = dedupe && !isBefore ? context.eventId : undefined;
  if (dedupe && eventId !== undefined && !(await dedupe.store.claim(eventId, dedupe.ttlMs))) {
    logger.debug('duplicate callback ignored', { command: context.command, eventId });
    return okResponse();
  }
  const run = async () => {
    try {
      return await runHandlers(handlers, payload, context);
    } catch (error) {
      if (dedupe && eventId !== undefined) await dedupe.store.release(eventId);
      throw error;
    }
  };
  if (options.ackFirst && !isBefore) {
    const background = new Promise((resolve) => setTimeout(resolve, 0)).then(run).then(
      () => undefined,
      (error: unknown) =>
        logger.error('callback handler failed after acknowledging', { command: context.command, error }),
    );
    return { ...okResponse(), background };
  }
  return toResponse(await run());
}

/**
 * Runs a verified callback's handlers and builds the answer: de-duplicates by event id and acknowledges
 * first when configured; otherwise runs the handlers directly, synchronously when they are synchronous.
 */
export function dispatchCallback(
  handlers: readonly AnyCallbackHandler[],
  payload: AnyCallbackPayload,
  context: CallbackContext,
  options: ResolvedReceiverOptions,
): CallbackResponse | Promise<CallbackResponse> {
  if (options.dedupe || options.ackFirst) return dispatchWithOptions(handlers, payload, context, options);
  const reply = runHandlers(handlers, payload, context);
  return reply instanceof Promise ? reply.then(toResponse) : toResponse(reply);
}
