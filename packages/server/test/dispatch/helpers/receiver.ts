import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One callback as the receiver saw it. */
export interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text. */
  body: string;
  json: any;
  at: number;
}

/** How the receiver answers one callback. */
export type Behaviour = (r: Received, res: ServerResponse) => void;

/** `200 {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}` (or the given ErrorCode/ErrorInfo). */
export const ok =
  (errorCode = 0, errorInfo = ''): Behaviour =>
  (_r, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ ActionStatus: errorCode === 0 ? 'OK' : 'FAIL', ErrorCode: errorCode, ErrorInfo: errorInfo }),
    );
  };

/** Any status with a JSON body. */
export const status =
  (code: number, headers: Record<string, string> = {}): Behaviour =>
  (_r, res) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end('{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"receiver error"}');
  };

/** 200 with a body that is not JSON. */
export const garbage: Behaviour = (_r, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<html>not json</html>');
};

/** Answers OK after `ms`. */
export const slow =
  (ms: number, then: Behaviour = ok()): Behaviour =>
  (r, res) => {
    setTimeout(() => {
      if (!res.destroyed) then(r, res);
    }, ms);
  };

/** Closes the connection without answering. */
export const hangUp: Behaviour = (_r, res) => {
  res.socket?.destroy();
};

/** Never answers (until the receiver closes). */
export const hang: Behaviour = () => undefined;

/** A callback receiver on 127.0.0.1 that records everything it receives. */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  behaviour: Behaviour;
  /** Callbacks received with this `CallbackCommand` query parameter. */
  of(command: string): Received[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1:`port` (0 = any). */
export async function startReceiver(behaviour: Behaviour = ok(), port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Receiver = {
    url: '',
    port: 0,
    received,
    behaviour,
    of: (command) => received.filter((r) => r.query.get('CallbackCommand') === command),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const r: Received = { path: u.pathname, query: u.searchParams, headers: req.headers, body, json, at: Date.now() };
      received.push(r);
      receiver.behaviour(r, res);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}
