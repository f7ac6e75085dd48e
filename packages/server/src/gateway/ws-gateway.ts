import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type ServerOptions, type WebSocket } from 'ws';
import { ImError } from '../errors/im-error.ts';
import { authenticateClient, type ClientIdentity } from './authenticate-client.ts';
import { clientAddress } from '../http/client-address.ts';
import { ClientSession, type SessionDeps } from './client-session.ts';
import { CloseCode } from './close-codes.ts';
import { loginFromQuery, type LoginRequest } from './login-request.ts';
import type { SessionTransport } from './session-transport.ts';
import { createProxyMatcher } from '../http/trusted-proxies.ts';
import { PendingConnections } from './pending-connections.ts';

/** How often connections are checked for login timeout, UserSig expiry and (every `heartbeatMs`) liveness. */
const SWEEP_MS = 1000;
/** How long a closed connection may take to finish the closing handshake before its socket is destroyed. */
const CLOSE_TIMEOUT_MS = 2000;

/** One WebSocket as a session transport; `alive` is cleared at each ping and set by the pong (or any frame). */
class WsTransport implements SessionTransport {
  alive = true;
  readonly ws: WebSocket;
  constructor(ws: WebSocket) {
    this.ws = ws;
  }
  send(text: string): void {
    this.ws.send(text);
  }
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
    // Stop reading a peer cut off for abuse: what it keeps sending stays in the kernel until the socket is destroyed.
    if (code === CloseCode.INVALID_FRAMES || code === CloseCode.TOO_MANY_REQUESTS) this.ws.pause();
  }
}

function reject(socket: Duplex, status: number, body: object): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/**
 * The WebSocket adapter of the client gateway: takes HTTP upgrades on `path` from the server's own port, resolves the
 * client's address (socket, or `X-Forwarded-For` from a trusted proxy), optionally verifies credentials given in the
 * URL before upgrading (answering 401 with the Tencent code), and wires each socket to a `ClientSession`. One timer
 * serves all connections.
 */
export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<ClientSession, WsTransport>();
  private readonly deps: SessionDeps;
  private readonly isTrustedProxy: (address: string) => boolean;
  private readonly pending: PendingConnections;
  private timer: NodeJS.Timeout | undefined;
  private lastPingAt = Date.now();
  private closing = false;

  constructor(deps: SessionDeps, trustedProxies: string[]) {
    this.deps = deps;
    this.isTrustedProxy = createProxyMatcher(trustedProxies);
    this.pending = new PendingConnections(deps.config.maxPendingPerAddress);
    const options: ServerOptions & { closeTimeout: number } = {
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: deps.config.maxFrameBytes * 4,
      closeTimeout: CLOSE_TIMEOUT_MS,
    };
    this.wss = new WebSocketServer(options);
  }

  /** Number of open connections (logged in or not). */
  get size(): number {
    return this.connections.size;
  }

  /** Starts taking upgrades on `server`. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(req, socket, head).catch((error: unknown) => {
        this.deps.onError?.(error);
        socket.destroy();
      });
    });
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /** Closes every connection with 1001 and waits (at most the closing-handshake timeout) for them to go. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    for (const session of this.connections.keys()) session.close(CloseCode.GOING_AWAY, 'server shutting down');
    const deadline = Date.now() + CLOSE_TIMEOUT_MS + 500;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const t of this.connections.values()) t.ws.terminate();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== this.deps.config.path) return reject(socket, 404, { error: 'not found' });
    if (this.closing) return reject(socket, 503, { error: 'server shutting down' });
    const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.isTrustedProxy);
    if (!this.pending.acquire(ip)) {
      this.deps.metrics?.disconnects.inc({ reason: 'too many pending connections' });
      return reject(socket, 429, { error: 'too many connections from this address that have not logged in' });
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.pending.release(ip);
    };
    let verified: { identity: ClientIdentity; request: LoginRequest } | undefined;
    try {
      const request = loginFromQuery(url.searchParams);
      if (request)
        verified = { request, identity: await authenticateClient(this.deps.services, this.deps.verifier, request) };
    } catch (error) {
      release();
      const e = error instanceof ImError ? error : new ImError('INTERNAL');
      return reject(socket, 401, { ErrorCode: e.errorCode, ErrorInfo: e.message });
    }
    if (socket.destroyed || this.closing) return release();
    socket.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ip, release, verified));
  }

  private accept(
    ws: WebSocket,
    ip: string,
    release: () => void,
    verified?: { identity: ClientIdentity; request: LoginRequest },
  ): void {
    const transport = new WsTransport(ws);
    const session = new ClientSession(this.deps, transport, ip);
    session.onOnline = release;
    this.connections.set(session, transport);
    this.deps.metrics?.connections.inc();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      transport.alive = true;
      session.handleFrame(data as Buffer, isBinary);
    });
    ws.on('pong', () => {
      transport.alive = true;
    });
    ws.on('error', () => {
      // 'close' follows; a protocol error (bad UTF-8, oversized frame) ends only this connection.
    });
    ws.on('close', () => {
      this.connections.delete(session);
      this.deps.metrics?.connections.dec();
      session.closed('connection closed');
    });
    if (verified) void session.loginVerified(verified.identity, verified.request).catch(this.deps.onError);
  }

  /** Login timeouts, UserSig expiry, and every `heartbeatMs` a ping (dropping connections that missed the last one). */
  private sweep(): void {
    const now = Date.now();
    const nowS = Math.floor(now / 1000);
    const ping = now - this.lastPingAt >= this.deps.config.heartbeatMs;
    if (ping) this.lastPingAt = now;
    for (const [session, t] of this.connections) {
      if (session.state === 'closed') continue;
      if (session.state === 'online' && nowS > session.expiresAt) {
        session.close(CloseCode.USERSIG_EXPIRED, 'UserSig expired (70001): log in again with a new UserSig');
      } else if (session.state !== 'online' && now - session.openedAt > this.deps.config.loginTimeoutMs) {
        session.close(CloseCode.LOGIN_TIMEOUT, 'login timeout: no successful login in time');
      } else if (ping) {
        if (!t.alive) {
          session.closed('heartbeat timeout');
          t.ws.terminate();
        } else {
          t.alive = false;
          t.ws.ping();
        }
      }
    }
  }
}
