/**
 * Starts "the same receiver behind adapter X" on 127.0.0.1:0, so one suite runs against every adapter.
 * @module
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import Fastify from 'fastify';
import { createExpressMiddleware } from '../../src/adapters/express.ts';
import { fastifyCallbackReceiver } from '../../src/adapters/fastify.ts';
import { createNodeListener } from '../../src/adapters/node.ts';
import { createWebHandler } from '../../src/adapters/web.ts';
import type { CallbackReceiver } from '../../src/index.ts';

/** An adapter set-up under test and what it can do. */
export interface AdapterTarget {
  name: string;
  /** Whether the receiver sees the exact body bytes (false after `express.json()`). */
  rawBody: boolean;
  start(receiver: CallbackReceiver, path: string): Promise<RunningServer>;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<RunningServer> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://127.0.0.1${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
  } as RequestInit);
}

function expressTarget(name: string, rawBody: boolean, parser?: express.RequestHandler): AdapterTarget {
  return {
    name,
    rawBody,
    start: (receiver, path) => {
      const app = express();
      if (parser) app.use(parser);
      app.all(path, createExpressMiddleware(receiver));
      return listen(createServer(app));
    },
  };
}

/** Every adapter, and Express with each kind of body parser before it. */
export const ADAPTER_TARGETS: readonly AdapterTarget[] = [
  {
    name: 'node:http',
    rawBody: true,
    start: (receiver, path) => listen(createServer(createNodeListener(receiver, { path }))),
  },
  expressTarget('express (no body parser)', true),
  expressTarget('express + express.raw()', true, express.raw({ type: '*/*' })),
  expressTarget('express + express.text()', true, express.text({ type: '*/*' })),
  expressTarget('express + express.json()', false, express.json()),
  {
    name: 'fastify',
    rawBody: true,
    start: async (receiver, path) => {
      const app = Fastify();
      app.get('/health', () => 'ok');
      await app.register(fastifyCallbackReceiver, { receiver, path });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { origin: `http://127.0.0.1:${port}`, close: () => app.close() };
    },
  },
  {
    name: 'web (Request → Response)',
    rawBody: true,
    start: (receiver, path) => {
      const handle = createWebHandler(receiver);
      return listen(
        createServer((req, res) => {
          if (!req.url?.startsWith(`${path}?`) && req.url !== path) {
            res.writeHead(404).end();
            return;
          }
          void handle(toWebRequest(req)).then(async (response) => {
            const headers: Record<string, string> = {};
            response.headers.forEach((value, name) => (headers[name] = value));
            res.writeHead(response.status, headers);
            res.end(Buffer.from(await response.arrayBuffer()));
          });
        }),
      );
    },
  },
];
