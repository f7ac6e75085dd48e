/**
 * A local stand-in for the IM REST API: records every request and answers with a replaceable responder.
 * @module
 */
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake server saw it. */
export interface Seen {
  path: string;
  query: URLSearchParams;
  body: unknown;
  contentType: string | undefined;
}

/** Writes the answer to a request. */
export type Responder = (seen: Seen, res: ServerResponse) => void;

/** The fake server. */
export interface FakeRestServer {
  origin: string;
  seen: Seen[];
  respond: Responder;
  /** TCP connections accepted so far. */
  connections: number;
  close(): void;
}

/** A responder answering `body` as JSON with `status`. */
export function answer(body: object, status = 200): Responder {
  return (_s, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

/** Starts the fake server on 127.0.0.1:0; it answers the OK envelope until `respond` is replaced. */
export async function startFakeRestServer(): Promise<FakeRestServer> {
  const fake: FakeRestServer = {
    origin: '',
    seen: [],
    respond: answer({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }),
    connections: 0,
    close: () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const s = {
        path: url.pathname,
        query: url.searchParams,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        contentType: req.headers['content-type'],
      };
      fake.seen.push(s);
      fake.respond(s, res);
    });
  });
  server.on('connection', () => fake.connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => {
    server.closeAllConnections();
    server.close();
  };
  return fake;
}
