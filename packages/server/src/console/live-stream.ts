import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { UserSigVerifier } from '../auth/usersig-cache.ts';
import type { AppRegistry } from '../core/app-registry.ts';
import { authenticate } from '../rest/authenticate.ts';
import { errorEnvelope } from '../rest/envelope.ts';
import { withHeaderUserSig } from '../rest/header-usersig.ts';
import type { ActivityBus } from './activity-bus.ts';

/** Bytes a slow reader may leave unread before its stream is cut. */
const MAX_BUFFERED = 1024 * 1024;
/** Longest delay `setTimeout` takes. */
const MAX_TIMER_MS = 2_147_483_647;

/** What the live stream needs. */
export interface LiveStreamDeps {
  apps: AppRegistry;
  verifier: UserSigVerifier;
  bus: ActivityBus;
  itemsPerSecond: number;
}

/** The open live streams of a server, ended together when it stops. */
export class LiveStreams {
  private readonly open = new Set<(reason: string) => void>();
  private readonly deps: LiveStreamDeps;

  constructor(deps: LiveStreamDeps) {
    this.deps = deps;
  }

  /** Open streams now. */
  get size(): number {
    return this.open.size;
  }

  /**
   * `POST /v4/readwire_console/live`: authenticates like every REST command (query parameters, the UserSig in the
   * query or in `Authorization: UserSig …`, admin only) and answers a failure as the usual envelope; then streams
   * Server-Sent Events: `hello`, one `tick` per second, sampled `item`s, and `expired` at the UserSig's expiry (or
   * `closed` when the server stops) before the stream ends.
   */
  readonly handle = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const query = withHeaderUserSig({ ...(req.query as Record<string, string>) }, req.headers.authorization);
    let auth;
    try {
      auth = await authenticate(query, this.deps.apps, this.deps.verifier);
    } catch (error) {
      return reply.send(errorEnvelope(error));
    }
    reply.hijack();
    this.stream(reply.raw, auth.app.sdkAppId, auth.expiresAt * 1000);
  };

  /** Ends every open stream with a `closed` frame. */
  closeAll(): void {
    for (const end of [...this.open]) end('server stopping');
  }

  private stream(res: ServerResponse, appId: number, expiresAtMs: number): void {
    res.shouldKeepAlive = false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    const write = (event: string, data: unknown) => {
      if (res.writableLength > MAX_BUFFERED) {
        end('reader too slow');
        return;
      }
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const unsubscribe = this.deps.bus.subscribe({
      appId,
      item: (item) => write('item', item),
      tick: (tick) => write('tick', tick),
    });
    const cleanup = () => {
      done = true;
      unsubscribe();
      clearTimeout(timer);
      this.open.delete(end);
    };
    const end = (reason: string, event = 'closed') => {
      if (done) return;
      cleanup();
      res.end(`event: ${event}\ndata: ${JSON.stringify({ Reason: reason })}\n\n`);
    };
    const checkExpiry = () => {
      const left = expiresAtMs - Date.now();
      if (left <= 0) end('the UserSig expired: log in again', 'expired');
      else timer = setTimeout(checkExpiry, Math.min(left, MAX_TIMER_MS));
    };
    this.open.add(end);
    res.on('close', () => {
      if (!done) cleanup();
    });
    write('hello', { SdkAppId: appId, ExpiresAtMs: expiresAtMs, ItemsPerSecond: this.deps.itemsPerSecond });
    checkExpiry();
  }
}
