/**
 * `node:http` adapter: a request listener for `http.createServer` (and anything that accepts one).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackReceiver } from '../receiver/create-callback-receiver.ts';
import { collectNodeBody } from './read-node-body.ts';
import { writeNodeResponse } from './write-node-response.ts';

/** Options of {@link createNodeListener}. */
export interface NodeListenerOptions {
  /** Only requests to this path are handled; others get `next()` when given, else 404. Default: every path. */
  path?: string;
}

/** A Node request listener; `next` is called for requests outside `path` when the host framework gives one. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * Turns a receiver into a `node:http` request listener. The body is read here, up to `maxBodyBytes`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeListener } from '@readwire/sdk/node';
 * createServer(createNodeListener(receiver, { path: '/im/callback' })).listen(8080);
 * ```
 */
export function createNodeListener(receiver: CallbackReceiver, options: NodeListenerOptions = {}): NodeListener {
  const { path } = options;
  return (req, res, next) => {
    const url = req.url ?? '/';
    if (path !== undefined && pathOf(url) !== path) {
      if (next) next();
      else writeNodeResponse(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' });
      return;
    }
    collectNodeBody(req, receiver.maxBodyBytes, (error, { body, tooLarge }) => {
      if (error) {
        req.destroy();
        return;
      }
      const request = {
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        rawBody: body,
        bodyTooLarge: tooLarge,
        remoteAddress: req.socket.remoteAddress,
      };
      receiver.handle(request).then(
        (answer) => writeNodeResponse(res, answer, tooLarge),
        () => req.destroy(),
      );
    });
  };
}
