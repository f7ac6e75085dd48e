/**
 * A node:http callback receiver on 127.0.0.1 that answers OK and records each request's query and body.
 * @module
 */
import { createServer } from 'node:http';

/** One received callback. */
export interface ReceivedCallback {
  query: URLSearchParams;
  body: Record<string, any>;
}

/** A running receiver. */
export interface CallbackReceiver {
  url: string;
  received: ReceivedCallback[];
  /** Waits for a callback of `command` matching `pred`. */
  next(command: string, pred?: (c: ReceivedCallback) => boolean, timeoutMs?: number): Promise<ReceivedCallback>;
  close(): Promise<void>;
}

/** Starts a receiver; `answer` decides the response body (default: OK). */
export async function startReceiver(
  answer: (c: ReceivedCallback) => Record<string, unknown> = () => ({}),
): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const callback = { query: new URL(req.url ?? '/', 'http://x').searchParams, body: JSON.parse(body || '{}') };
      received.push(callback);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ...answer(callback) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    async next(command, pred = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find((c) => c.body.CallbackCommand === command && pred(c));
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no ${command} callback within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
