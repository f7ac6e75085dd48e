/**
 * A bare WebSocket client for protocol tests: sends frames as given and records everything the server sends, so
 * tests can assert on the wire format itself (the `@readwire/client` tests cover the typed client).
 * @module
 */
import { WebSocket, type ClientOptions } from 'ws';

/** A frame the server sent. */
export type ServerFrame = {
  type: 'reply' | 'push';
  id?: string | number | null;
  ok?: boolean;
  data?: Record<string, any>;
  error?: { code: number; info: string };
  event?: string;
  seq?: string;
};

/** A raw protocol client. */
export class RawClient {
  readonly ws: WebSocket;
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;
  private waiters: { pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void; from: number }[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString()) as ServerFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Opens a connection. */
  static async connect(url: string, options?: ClientOptions): Promise<RawClient> {
    const ws = new WebSocket(url, options);
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  /** Sends a raw text frame. */
  sendRaw(text: string | Buffer, binary = false): void {
    this.ws.send(text, { binary });
  }

  /** Sends a request and waits for its reply. */
  async request(op: string, data?: unknown, timeoutMs = 10_000): Promise<ServerFrame> {
    const id = this.nextId++;
    const reply = this.waitFor((f) => f.type === 'reply' && f.id === id, timeoutMs);
    this.ws.send(JSON.stringify({ id, op, data }));
    return reply;
  }

  /** Like `request`, but fails unless the reply is ok; returns its data. */
  async call(op: string, data?: unknown): Promise<Record<string, any>> {
    const r = await this.request(op, data);
    if (!r.ok) throw new Error(`${op} failed: ${JSON.stringify(r.error)}`);
    return r.data!;
  }

  /** Waits for the first frame (already received or future) matching `pred`. */
  waitFor(pred: (f: ServerFrame) => boolean, timeoutMs = 10_000, from = 0): Promise<ServerFrame> {
    const seen = this.frames.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        pred,
        from,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Waits for a push of `event` (optionally matching `pred`). */
  push(event: string, pred: (f: ServerFrame) => boolean = () => true, timeoutMs = 10_000): Promise<ServerFrame> {
    return this.waitFor((f) => f.type === 'push' && f.event === event && pred(f), timeoutMs);
  }

  /** Pushes of `event` received so far. */
  pushes(event: string): ServerFrame[] {
    return this.frames.filter((f) => f.type === 'push' && f.event === event);
  }

  /** Closes the connection. */
  close(): void {
    this.ws.close();
  }
}
