import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers: Tencent's OK, or a body that would be script if it were rendered as HTML. */
export type ReceiverMode = 'ok' | 'xss';

/** The answer the XSS receiver sends. */
export const XSS_ANSWER = '<img src=x onerror=alert(1)>';

/** A real callback receiver on 127.0.0.1 that can be stopped and started again on the same port. */
export interface Receiver {
  url: string;
  mode: ReceiverMode;
  /** Bodies received, parsed. */
  received: Record<string, unknown>[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts a receiver on an ephemeral port. */
export async function startReceiver(): Promise<Receiver> {
  let server: Server | undefined;
  let port = 0;
  const r: Receiver = {
    url: '',
    mode: 'ok',
    received: [],
    async start() {
      server = createServer((req: IncomingMessage, res: ServerResponse) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          try {
            r.received.push(JSON.parse(body) as Record<string, unknown>);
          } catch {
            r.received.push({ raw: body });
          }
          if (r.mode === 'xss') {
            res.writeHead(200, { 'content-type': 'text/html' }).end(XSS_ANSWER);
          } else {
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
          }
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      r.url = `http://127.0.0.1:${port}/callback`;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await r.start();
  return r;
}
