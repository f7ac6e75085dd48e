/**
 * Express adapter (Express 4 and 5): a middleware that works with or without a body parser before it.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackRequest } from '../receiver/callback-request.ts';
import type { CallbackReceiver } from '../receiver/create-callback-receiver.ts';
import { readNodeBody } from './read-node-body.ts';
import { writeNodeResponse } from './write-node-response.ts';

/** The parts of an Express request the middleware reads (`body` set by a body parser, `rawBody` by a `verify` hook). */
export type ExpressLikeRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; originalUrl?: string };

/** An Express middleware. */
export type ExpressMiddleware = (req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

async function toCallbackRequest(req: ExpressLikeRequest, maxBytes: number): Promise<CallbackRequest> {
  const base = {
    method: req.method ?? 'GET',
    url: req.originalUrl ?? req.url ?? '/',
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress,
  };
  const { body, rawBody } = req;
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return { ...base, rawBody };
  if (typeof body === 'string' || body instanceof Uint8Array) return { ...base, rawBody: body };
  if (!req.readableEnded) {
    const read = await readNodeBody(req, maxBytes);
    return { ...base, rawBody: read.body, bodyTooLarge: read.tooLarge };
  }
  return { ...base, parsedBody: body };
}

/**
 * Turns a receiver into an Express middleware; mount it on the callback path (`app.post('/im/callback', …)` or
 * `app.use('/im/callback', …)`).
 *
 * Body handling: an unread body is read here (up to `maxBodyBytes`); a `Buffer` or string left by
 * `express.raw()` / `express.text()` is used as the raw body; `req.rawBody` (set by a parser's `verify` hook)
 * is preferred. After `express.json()` only the parsed object is left: it is accepted, but a `signingSecrets`
 * receiver refuses it (`WEBHOOK_BODY_UNAVAILABLE`), because the body signature needs the exact bytes.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createExpressMiddleware } from '@readwire/sdk/express';
 * express().post('/im/callback', createExpressMiddleware(receiver)).listen(8080);
 * ```
 */
export function createExpressMiddleware(receiver: CallbackReceiver): ExpressMiddleware {
  return (req, res, next) => {
    toCallbackRequest(req, receiver.maxBodyBytes)
      .then(async (request) => {
        const answer = await receiver.handle(request);
        writeNodeResponse(res, answer, request.bodyTooLarge === true);
      })
      .catch(next);
  };
}
