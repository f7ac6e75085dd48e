import { CallbackError } from '../errors/sdk-error.ts';
import type { CallbackContext } from './callback-context.ts';
import type { AnyCallbackHandler, CallbackHandler } from './callback-handler.ts';
import type { AnyCallbackPayload } from './callback-payloads.ts';
import { getHeader, type CallbackRequest, type CallbackResponse } from './callback-request.ts';
import { errorResponse, okResponse, replyResponse } from './callback-responses.ts';
import { normalizeOptPlatform } from './opt-platform.ts';
import {
  resolveReceiverOptions,
  type CallbackReceiverOptions,
  type ResolvedReceiverOptions,
} from './receiver-options.ts';
import { runHandlers } from './run-handlers.ts';
import { verifyRequest, type VerifiedCallback } from './verify-request.ts';

/** A transport-free callback receiver: register handlers, then feed it requests through `handle` or an adapter. */
export interface CallbackReceiver {
  /** Registers a handler for one `CallbackCommand`; the payload is typed for the commands the SDK knows. */
  on<C extends string>(command: C, handler: CallbackHandler<C>): CallbackReceiver;
  /** Registers a handler for every command, run after the command's own handlers. */
  onAny(handler: AnyCallbackHandler): CallbackReceiver;
  /** Verifies a request, runs its handlers and returns the answer. Never throws. */
  handle(request: CallbackRequest): Promise<CallbackResponse>;
  /** The body size limit, for adapters that read the body themselves. */
  readonly maxBodyBytes: number;
}

const ATTEMPT = /^\d{1,9}$/;

function buildContext(verified: VerifiedCallback, request: CallbackRequest, sdkAppId: number): CallbackContext {
  const attempt = getHeader(request.headers, 'x-readwire-attempt');
  const rawOptPlatform = verified.query.get('OptPlatform');
  return {
    command: verified.command,
    sdkAppId,
    clientIp: verified.query.get('ClientIP'),
    optPlatform: normalizeOptPlatform(rawOptPlatform),
    rawOptPlatform,
    requestTime: verified.requestTime,
    eventId: getHeader(request.headers, 'x-readwire-event-id') ?? getHeader(request.headers, 'webhook-id'),
    attempt: attempt !== undefined && ATTEMPT.test(attempt) ? Number(attempt) : undefined,
    request,
  };
}

class Receiver implements CallbackReceiver {
  readonly #options: ResolvedReceiverOptions;
  readonly #handlers = new Map<string, AnyCallbackHandler[]>();
  readonly #anyHandlers: AnyCallbackHandler[] = [];

  constructor(options: CallbackReceiverOptions) {
    this.#options = resolveReceiverOptions(options);
  }

  get maxBodyBytes(): number {
    return this.#options.verify.maxBodyBytes;
  }

  on<C extends string>(command: C, handler: CallbackHandler<C>): CallbackReceiver {
    const list = this.#handlers.get(command) ?? [];
    list.push(handler as unknown as AnyCallbackHandler);
    this.#handlers.set(command, list);
    return this;
  }

  onAny(handler: AnyCallbackHandler): CallbackReceiver {
    this.#anyHandlers.push(handler);
    return this;
  }

  async handle(request: CallbackRequest): Promise<CallbackResponse> {
    const { logger } = this.#options;
    try {
      const nowSeconds = Math.floor(this.#options.now() / 1000);
      const verified = await verifyRequest(request, this.#options.verify, nowSeconds);
      const context = buildContext(verified, request, this.#options.sdkAppId);
      return await this.#dispatch(verified.payload as AnyCallbackPayload, context);
    } catch (e) {
      const error =
        e instanceof CallbackError ? e : new CallbackError('HANDLER_FAILED', 'unexpected error', { cause: e });
      const details = { code: error.code, status: error.status, reason: error.reason, url: request.url };
      if (error.code === 'HANDLER_FAILED') logger.error('callback handler failed', { ...details, error: error.cause });
      else logger.warn('callback refused', details);
      return errorResponse(error);
    }
  }

  async #dispatch(payload: AnyCallbackPayload, context: CallbackContext): Promise<CallbackResponse> {
    const { logger, dedupe, ackFirst } = this.#options;
    const handlers = [...(this.#handlers.get(context.command) ?? []), ...this.#anyHandlers];
    const isBefore = context.command === 'C2C.CallbackBeforeSendMsg';
    const eventId = dedupe && !isBefore ? context.eventId : undefined;
    if (eventId !== undefined && !(await dedupe!.store.claim(eventId, dedupe!.ttlMs))) {
      logger.debug('duplicate callback ignored', { command: context.command, eventId });
      return okResponse();
    }
    const run = async () => {
      try {
        return await runHandlers(handlers, payload, context);
      } catch (error) {
        if (eventId !== undefined) await dedupe!.store.release(eventId);
        throw error;
      }
    };
    if (ackFirst && !isBefore) {
      const background = new Promise((resolve) => setTimeout(resolve, 0)).then(run).then(
        () => undefined,
        (error: unknown) =>
          logger.error('callback handler failed after acknowledging', { command: context.command, error }),
      );
      return { ...okResponse(), background };
    }
    const reply = await run();
    logger.debug('callback handled', { command: context.command, eventId: context.eventId });
    return reply ? replyResponse(reply) : okResponse();
  }
}

/**
 * Creates a callback receiver for one app. Handlers are registered with `on` / `onAny`; requests arrive
 * through `handle` (framework-free) or one of the adapters (`@readwire/sdk/node`, `/express`, `/fastify`,
 * `/web`).
 *
 * @example
 * ```ts
 * const receiver = createCallbackReceiver({ sdkAppId: 1400000000, tokens: process.env.IM_CALLBACK_TOKEN });
 * receiver.on('C2C.CallbackAfterMsgReport', async (event, ctx) => {
 *   await markRead(event.Report_Account, event.Peer_Account, event.LastReadTime, ctx.eventId);
 * });
 * ```
 */
export function createCallbackReceiver(options: CallbackReceiverOptions): CallbackReceiver {
  return new Receiver(options);
}
