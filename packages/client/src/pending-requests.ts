import { ReadwireError } from './readwire-error.ts';

/** A server reply frame. */
export interface ReplyFrame {
  type: 'reply';
  id: number | string | null;
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: number; info: string };
}

interface Pending {
  id: number;
  frame: string;
  /** The connection it was last sent on (0 = not sent on the current one). */
  sentOn: number;
  resolve: (data: Record<string, unknown>) => void;
  reject: (error: ReadwireError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Requests waiting for their reply. A request outlives connections: sent when the client is online, sent again on
 * the next connection if the previous one dropped before the reply (every operation is idempotent — a repeated send
 * is recognised by its MsgSeq/MsgRandom — so nothing is lost or doubled), and failed only by its timeout or `close()`.
 */
export class PendingRequests {
  private readonly byId = new Map<number, Pending>();
  private nextId = 1;
  private readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  /** Registers a request; it is sent by `sendUnsent`. */
  add(op: string, data: unknown): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.byId.delete(id);
        reject(new ReadwireError('timeout', 0, `${op} timed out after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.byId.set(id, { id, frame: JSON.stringify({ id, op, data }), sentOn: 0, resolve, reject, timer });
    });
  }

  /** Sends every request not yet sent on connection `generation`. */
  sendUnsent(generation: number, send: (frame: string) => void): void {
    for (const p of this.byId.values()) {
      if (p.sentOn === generation) continue;
      p.sentOn = generation;
      send(p.frame);
    }
  }

  /** Settles the request a reply answers; false if none waits for it. */
  settle(reply: ReplyFrame): boolean {
    const p = typeof reply.id === 'number' ? this.byId.get(reply.id) : undefined;
    if (!p) return false;
    this.byId.delete(p.id);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.data ?? {});
    else p.reject(new ReadwireError('server', reply.error?.code ?? 0, reply.error?.info ?? 'request failed'));
    return true;
  }

  /** Fails every request (on close or a fatal error). */
  failAll(error: ReadwireError): void {
    for (const p of this.byId.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.byId.clear();
  }

  /** Requests waiting. */
  get size(): number {
    return this.byId.size;
  }
}
