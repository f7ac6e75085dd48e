import { CallbackError } from '../errors/sdk-error.ts';
import type { CallbackContext } from './callback-context.ts';
import type { AnyCallbackHandler, CallbackHandler } from './callback-handler.ts';
import type { AnyCallbackPayload } from './callback-payloads.ts';
import { getHeader, type CallbackRequest, type CallbackResponse } from './callback-request.ts';
import { errorResponse } from './callback-responses.ts';
import { dispatchCallback } from './dispatch-callback.ts';
import { normalizeOptPlatform } from './opt-platform.ts';
import {
  resolveReceiverOptions,
  type CallbackReceiverOptions,
  type ResolvedReceiverOptions,
} from './receiver-options.ts';
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
  readonly #resolved = new Map<string, readonly AnyCallbackHandler[]>();

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
    this.#resolved.clear();
    return this;
  }

  onAny(handler: AnyCallbackHandler): CallbackReceiver {
    this.#anyHandlers.push(handler);
    this.#resolved.clear();
    return this;
  }

  async handle(request: CallbackRequest): Promise<CallbackResponse> {
    try {
      const nowSeconds = Math.floor(this.#options.now() / 1000);
      let verified = verifyRequest(request, this.#options.verify, nowSeconds);
      if (verified instanceof Promise) verified = await verified;
      const context = buildContext(verified, request, this.#options.sdkAppId);
      const payload = verified.payload as AnyCallbackPayload;
      const answer = dispatchCallback(this.#handlersOf(context.command), payload, context, this.#options);
      return answer instanceof Promise ? await answer : answer;
    } catch (e) {
      return this.#refuse(e, request);
    }
  }

  /** The command's handlers followed by the `onAny` ones, memoised until the next registration. */
  #handlersOf(command: string): readonly AnyCallbackHandler[] {
    const own = this.#handlers.get(command);
    if (!own) return this.#anyHandlers; // not memoised: commands come from requests
    let list = this.#resolved.get(command);
    if (!list) {
      list = [...own, ...this.#anyHandlers];
      this.#resolved.set(command, list);
    }
    return list;
  }

  #refuse(e: unknown, request: CallbackRequest): CallbackResponse {
    const { logger } = this.#options;
    const error =
      e instanceof CallbackError ? e : new CallbackError('HANDLER_FAILED', 'unexpected error', { cause: e });
    const details = { code: error.code, status: error.status, reason: error.reason, url: request.url };
    if (error.code === 'HANDLER_FAILED') logger.error('callback handler failed', { ...details, error: error.cause });
    else logger.warn('callback refused', details);
    return errorResponse(error);
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
