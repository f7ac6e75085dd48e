/**
 * Web adapter: `Request` → `Response`, for Hono, Next.js route handlers, Bun, Deno and Cloudflare Workers.
 * @module
 */
import type { CallbackReceiver } from '../receiver/create-callback-receiver.ts';

/** The part of a platform context that keeps work alive after the response (Workers' `ExecutionContext`). */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** A Web handler. */
export type WebHandler = (request: Request, context?: WaitUntilContext) => Promise<Response>;

async function readLimited(request: Request, maxBytes: number): Promise<{ body?: Uint8Array; tooLarge: boolean }> {
  if (Number(request.headers.get('content-length')) > maxBytes) return { tooLarge: true };
  if (!request.body) return { body: new Uint8Array(0), tooLarge: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { body: chunks[0], tooLarge: false };
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { body, tooLarge: false };
}

/**
 * Turns a receiver into a Fetch-API handler. With `ackFirst`, pass the platform context (Workers' `ctx`, or
 * anything with `waitUntil`) so handlers running after the answer are kept alive.
 *
 * @example
 * ```ts
 * import { createWebHandler } from '@readwire/sdk/web';
 * const handle = createWebHandler(receiver);
 * export const POST = (request: Request) => handle(request); // Next.js route handler
 * ```
 */
export function createWebHandler(receiver: CallbackReceiver): WebHandler {
  return async (request, context) => {
    const { body, tooLarge } = await readLimited(request, receiver.maxBodyBytes);
    const answer = await receiver.handle({
      method: request.method,
      url: request.url,
      headers: request.headers,
      rawBody: body,
      bodyTooLarge: tooLarge,
    });
    if (answer.background) context?.waitUntil(answer.background);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
}
