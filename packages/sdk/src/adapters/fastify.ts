/**
 * Fastify adapter (Fastify 5): an encapsulated plugin that adds the callback route.
 * @module
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { CallbackReceiver } from '../receiver/create-callback-receiver.ts';
import { readNodeBody, type NodeBody } from './read-node-body.ts';

/** Options of {@link fastifyCallbackReceiver}. */
export interface FastifyCallbackReceiverOptions {
  /** The receiver that verifies and handles the callbacks. */
  receiver: CallbackReceiver;
  /** Route path (relative to the plugin's prefix); default `/`. */
  path?: string;
}

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'OPTIONS'] as const;

/**
 * A Fastify plugin serving a receiver at `path` for every method (non-POST requests get the receiver's 405).
 * Inside its own encapsulated context it replaces the content-type parsers with one that keeps the raw bytes
 * (up to `maxBodyBytes`), so the body signature can be checked; the rest of the app keeps Fastify's parsers.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyCallbackReceiver } from '@readwire/sdk/fastify';
 * const app = Fastify();
 * await app.register(fastifyCallbackReceiver, { receiver, path: '/im/callback' });
 * ```
 */
export const fastifyCallbackReceiver: FastifyPluginCallback<FastifyCallbackReceiverOptions> = (
  fastify,
  options,
  done,
) => {
  const { receiver } = options;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request, payload, parsed) => {
    readNodeBody(Object.assign(payload, { headers: request.headers }), receiver.maxBodyBytes).then(
      (body) => parsed(null, body),
      (error: Error) => parsed(error),
    );
  });
  fastify.route({
    method: [...ALL_METHODS],
    url: options.path ?? '/',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const read = request.body as NodeBody | undefined;
      const answer = await receiver.handle({
        method: request.method,
        url: request.url,
        headers: request.headers,
        rawBody: read?.body,
        bodyTooLarge: read?.tooLarge,
        remoteAddress: request.socket.remoteAddress,
      });
      if (read?.tooLarge) void reply.header('connection', 'close');
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    },
  });
  done();
};
