import type { UserSigVerifier } from '../auth/usersig-cache.ts';
import type { AppRuntime } from '../core/app-registry.ts';
import type { Services } from '../core/services.ts';
import { ImError } from '../errors/im-error.ts';
import { authenticateClient, type ClientIdentity } from './authenticate-client.ts';
import { clientOperations } from './client-operations.ts';
import { errorReply, okReply, type RequestId } from './client-frames.ts';
import { readRequest, type ClientRequest } from './parse-request.ts';
import { CloseCode } from './close-codes.ts';
import { reportStateChange } from '../core/report-state-change.ts';
import type { StateChange } from '../domain/types.ts';
import type { GatewayConfig } from './gateway-config.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { parseLoginRequest, type LoginRequest } from './login-request.ts';
import { toOptPlatform, type ClientPlatform } from './opt-platform.ts';
import type { SessionTransport } from './session-transport.ts';
import type { HubSession, SyncHub } from './sync-hub.ts';
import { TokenBucket } from './token-bucket.ts';

/** What every session of a gateway shares. */
export interface SessionDeps {
  services: Services;
  verifier: UserSigVerifier;
  hub: SyncHub;
  config: GatewayConfig;
  metrics?: GatewayMetrics | undefined;
  /** Called with unexpected (non-`ImError`) failures, which the client sees as 91000. */
  onError?: ((error: unknown) => void) | undefined;
}

function unknownOp(op: string): ImError {
  return new ImError('GATEWAY_UNKNOWN_OP', `unknown operation ${JSON.stringify(op).slice(0, 40)}`);
}

/** Rate-limited requests in a row after which the connection is closed (the client ignores the 60018 answers). */
const MAX_STRIKES = 100;

/**
 * One client connection's protocol state, free of any transport: frames in (`handleFrame`), frames out through a
 * `SessionTransport`. Enforces the frame-size and request-rate limits, logs in, runs operations, and receives the
 * sync hub's pushes. Every failure is answered on this connection; nothing a client sends can affect another one.
 */
export class ClientSession implements HubSession {
  state: 'new' | 'login' | 'online' | 'closed' = 'new';
  app: AppRuntime | undefined;
  userId = '';
  platform: ClientPlatform = 'Unknown';
  /** UserSig expiry, Unix seconds (0 before login). */
  expiresAt = 0;
  cursor = 0;
  live = false;
  readonly clientIp: string;
  readonly openedAt: number;
  private readonly deps: SessionDeps;
  private readonly transport: SessionTransport;
  private readonly bucket: TokenBucket;
  private strikes = 0;
  private loginStrikes = 0;
  /** Called once when the connection logs in (the gateway stops counting it as pending). */
  onOnline: (() => void) | undefined;

  constructor(deps: SessionDeps, transport: SessionTransport, clientIp: string, nowMs = Date.now()) {
    this.deps = deps;
    this.transport = transport;
    this.clientIp = clientIp;
    this.openedAt = nowMs;
    this.bucket = new TokenBucket(deps.config.requestsPerSecond);
  }

  get appId(): number {
    return this.app?.sdkAppId ?? 0;
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  /** Handles one frame from the client. Never throws. */
  handleFrame(data: Buffer | string, isBinary: boolean): void {
    if (this.state === 'closed') return;
    if (this.state !== 'online') {
      this.handleBeforeLogin(data, isBinary);
      return;
    }
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    const max = this.deps.config.maxFrameBytes;
    if (size > max) {
      const info = `frame of ${size} bytes exceeds maxFrameBytes ${max}`;
      this.refuse(null, new ImError('GATEWAY_FRAME_TOO_LARGE', info));
      return;
    }
    const request = readRequest(data, isBinary);
    if (!request) {
      this.refuse(null, new ImError('GATEWAY_BAD_FRAME'));
      return;
    }
    if (!this.bucket.take()) {
      this.rateLimited(request.id);
      return;
    }
    this.strikes = 0;
    void this.run(request);
  }

  /**
   * Before login only `login` and `ping` are welcome, and only small frames: anything else (and every failed login)
   * is a strike, and one more than `maxInvalidFramesBeforeLogin` closes the connection (4400). The size and first-byte
   * checks come before any parsing, so a flood of junk costs a few microseconds a frame until the connection is cut.
   */
  private handleBeforeLogin(data: Buffer | string, isBinary: boolean): void {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    const max = this.deps.config.maxLoginFrameBytes;
    if (size > max) {
      const info = `frame of ${size} bytes before login exceeds maxLoginFrameBytes ${max}`;
      this.strike(null, new ImError('GATEWAY_FRAME_TOO_LARGE', info));
      return;
    }
    const request = readRequest(data, isBinary);
    if (!request) {
      this.strike(null, new ImError('GATEWAY_BAD_FRAME'));
      return;
    }
    if (request.op !== 'login' && request.op !== 'ping') {
      const known = Object.hasOwn(clientOperations, request.op);
      this.strike(request.id, known ? new ImError('GATEWAY_NOT_LOGGED_IN') : unknownOp(request.op));
      return;
    }
    if (!this.bucket.take()) {
      this.rateLimited(request.id);
      return;
    }
    void this.run(request);
  }

  /** Counts an invalid frame (or failed login) before login; answers it, or closes the connection past the limit. */
  private strike(id: RequestId, error: unknown): void {
    if (++this.loginStrikes > this.deps.config.maxInvalidFramesBeforeLogin) {
      this.close(CloseCode.INVALID_FRAMES, 'too many invalid frames before login');
      return;
    }
    this.push(errorReply(id, error));
  }

  /** An invalid frame after login: answered, and paid for from the request budget like any request. */
  private refuse(id: RequestId, error: ImError): void {
    if (this.bucket.take()) this.push(errorReply(id, error));
    else this.rateLimited(id);
  }

  private rateLimited(id: RequestId): void {
    if (++this.strikes > MAX_STRIKES) this.close(CloseCode.TOO_MANY_REQUESTS, 'request rate limit exceeded repeatedly');
    else this.push(errorReply(id, new ImError('GATEWAY_RATE_LIMITED')));
  }

  /** Sends a frame unless that would queue more than `maxBufferedBytes`: then the client is cut off. */
  push(frame: string, seq?: number): boolean {
    if (this.state === 'closed') return false;
    if (this.transport.bufferedAmount + frame.length > this.deps.config.maxBufferedBytes) {
      this.close(CloseCode.SLOW_CONSUMER, 'slow consumer: too much data queued; reconnect to resume');
      return false;
    }
    this.transport.send(frame);
    if (seq !== undefined) this.cursor = seq;
    this.deps.metrics?.pushes.inc();
    return true;
  }

  /** Closes the connection (idempotent); a logged-in user is reported logged out (`State.StateChange` Logout). */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.end(reason, 'Logout', 'Unregister');
    this.transport.close(code, reason);
  }

  /** Ends the session because the account was kicked (the sync log's `kick` entry, on every server). */
  kick(): void {
    this.close(CloseCode.ACCOUNT_KICKED, 'kicked (70001): log in again with a UserSig issued after the kick');
  }

  /**
   * Records that the connection is gone (called by the transport when it closes): a logged-in user is reported
   * disconnected (`State.StateChange` Disconnect, reason `TimeOut` after a missed heartbeat, else `LinkClose`).
   */
  closed(reason = 'closed'): void {
    this.end(reason, 'Disconnect', reason === 'heartbeat timeout' ? 'TimeOut' : 'LinkClose');
  }

  private end(reason: string, action: StateChange['action'], why: StateChange['reason']): void {
    if (this.state === 'closed') return;
    const wasOnline = this.state === 'online';
    if (wasOnline) this.deps.hub.leave(this);
    this.state = 'closed';
    this.deps.metrics?.disconnects.inc({ reason: reason.split(':')[0] });
    if (wasOnline) this.report(action, why);
  }

  private report(action: StateChange['action'], reason: StateChange['reason']): void {
    if (!this.app) return;
    const origin = { clientIp: this.clientIp, optPlatform: this.platform };
    reportStateChange(this.deps.services, this.app, { userId: this.userId, action, reason, origin }).catch(
      (error: unknown) => this.deps.onError?.(error),
    );
  }

  /** Logs in with credentials checked before the WebSocket upgrade; the login reply has `id: null`. */
  async loginVerified(identity: ClientIdentity, request: LoginRequest): Promise<void> {
    this.state = 'login';
    await this.start(null, identity, request);
  }

  private async run(request: ClientRequest): Promise<void> {
    const started = performance.now();
    let code = 0;
    try {
      if (request.op === 'login') await this.login(request.id, request.data);
      else this.push(okReply(request.id, await this.dispatch(request.op, request.data)));
    } catch (error) {
      if (!(error instanceof ImError)) this.deps.onError?.(error);
      code = error instanceof ImError ? error.errorCode : 91000;
      if (request.op === 'login' && this.state === 'new') this.strike(request.id, error);
      else this.push(errorReply(request.id, error));
    }
    const op =
      request.op === 'login' || request.op === 'ping' || request.op in clientOperations ? request.op : 'unknown';
    this.deps.metrics?.requests.inc({ op, error_code: String(code) });
    this.deps.metrics?.duration.observe({ op }, (performance.now() - started) / 1000);
  }

  private async dispatch(op: string, data: unknown): Promise<Record<string, unknown>> {
    if (op === 'ping') return {};
    const operation = Object.hasOwn(clientOperations, op) ? clientOperations[op] : undefined;
    if (!operation) throw unknownOp(op);
    if (this.state !== 'online' || !this.app) throw new ImError('GATEWAY_NOT_LOGGED_IN');
    const origin = { clientIp: this.clientIp, optPlatform: this.platform };
    return operation({ services: this.deps.services, app: this.app, userId: this.userId, origin }, data);
  }

  private async login(id: RequestId, data: unknown): Promise<void> {
    if (this.state !== 'new') {
      throw new ImError(
        'GATEWAY_ALREADY_LOGGED_IN',
        this.state === 'login' ? 'a login is already in progress' : undefined,
      );
    }
    this.state = 'login';
    try {
      const request = parseLoginRequest(data);
      const identity = await authenticateClient(this.deps.services, this.deps.verifier, request);
      await this.start(id, identity, request);
    } catch (error) {
      if (this.state === 'login') this.state = 'new';
      throw error;
    }
  }

  /** Goes online: plans the resume, joins the hub and answers the login in one step, so no push precedes the answer. */
  private async start(id: RequestId, identity: ClientIdentity, request: LoginRequest): Promise<void> {
    const plan = await this.deps.hub.plan(identity.app.sdkAppId, identity.userId, request.cursor);
    if (this.state !== 'login') return;
    this.app = identity.app;
    this.userId = identity.userId;
    this.expiresAt = identity.expiresAt;
    this.platform = toOptPlatform(request.platform);
    this.state = 'online';
    this.onOnline?.();
    const { config } = this.deps;
    // Too many devices: the oldest make room (Tencent IM, too, takes the newest login and kicks an older one).
    const devices = [...this.deps.hub.devicesOf(this.appId, this.userId)];
    for (const old of devices.slice(0, Math.max(0, devices.length - config.maxConnectionsPerUser + 1))) {
      old.close(CloseCode.KICKED, 'kicked: the same user logged in on another connection (maxConnectionsPerUser)');
    }
    this.push(
      okReply(id, {
        userId: this.userId,
        platform: this.platform,
        cursor: String(plan.cursor),
        resync: plan.resync,
        expiresAt: this.expiresAt,
        heartbeatMs: config.heartbeatMs,
        limits: { maxFrameBytes: config.maxFrameBytes, requestsPerSecond: config.requestsPerSecond },
      }),
    );
    this.deps.hub.join(this, plan);
    this.report('Login', 'Register');
  }
}
