import type { ClientState, ReadwireClientOptions, ResolvedOptions } from './client-options.ts';
import type { ReplyFrame } from './pending-requests.ts';
import { isAuthFailure, ReadwireError } from './readwire-error.ts';
import { resolveWebSocket, type WebSocketLike } from './web-socket-factory.ts';
import type { LoginInfo } from './wire-types.ts';

/** A push frame from the server. */
export interface PushFrame {
  type: 'push';
  event: string;
  seq?: string;
  data: Record<string, unknown>;
}

/** What the connection reports to its owner. */
export interface ConnectionHandlers {
  /** Logged in on connection `generation`. */
  login(info: LoginInfo, generation: number): void;
  push(frame: PushFrame): void;
  reply(frame: ReplyFrame): void;
  state(state: ClientState): void;
  /** The connection gave up for good (login refused, UserSig expired without a renewer, reconnect disabled). */
  fatal(error: ReadwireError): void;
}

const LOGIN_ID = 'login';

/**
 * One logical connection to the gateway over successive sockets: opens a socket, logs in (with the cursor the owner
 * gives), keeps it alive with pings, and after a drop opens the next one with exponential backoff and jitter. Each
 * socket has a generation number; events of an older socket are ignored.
 */
export class GatewayConnection {
  /** Generation of the current socket; changes whenever a socket is dropped. */
  generation = 0;
  online = false;
  stopped = false;
  /** Sockets opened so far. */
  attempts = 0;
  /** Why the last socket failed (`undefined` if none failed yet), for error messages. */
  lastFailure: string | undefined;
  private socket: WebSocketLike | undefined;
  private everLoggedIn = false;
  private attempt = 0;
  private lastFrameAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private readonly options: ReadwireClientOptions;
  private readonly resolved: ResolvedOptions;
  private readonly cursor: () => string | undefined;
  private readonly on: ConnectionHandlers;

  constructor(
    options: ReadwireClientOptions,
    resolved: ResolvedOptions,
    cursor: () => string | undefined,
    handlers: ConnectionHandlers,
  ) {
    this.options = options;
    this.resolved = resolved;
    this.cursor = cursor;
    this.on = handlers;
  }

  /** Sends a frame on the current socket (callers check `online`). */
  send(frame: string): void {
    this.socket?.send(frame);
  }

  /** Opens the first socket. */
  async open(): Promise<void> {
    const gen = ++this.generation;
    this.on.state(this.everLoggedIn ? 'reconnecting' : 'connecting');
    let socket: WebSocketLike;
    let userSig: string;
    try {
      const WS = await resolveWebSocket(this.options.WebSocket);
      userSig = typeof this.options.userSig === 'function' ? await this.options.userSig() : this.options.userSig;
      if (gen !== this.generation || this.stopped) return;
      this.attempts++;
      socket = new WS(this.options.url);
    } catch (error) {
      this.dropped(gen, 1006, error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (gen !== this.generation) return;
      this.lastFrameAt = Date.now();
      const { sdkAppId, userId, platform = 'Web' } = this.options;
      const data = { sdkAppId, userId, userSig, platform, cursor: this.cursor() };
      socket.send(JSON.stringify({ id: LOGIN_ID, op: 'login', data }));
    });
    socket.addEventListener('message', (e) => this.onFrame(gen, e.data));
    socket.addEventListener('close', (e) => this.dropped(gen, e.code, e.reason));
    socket.addEventListener('error', (e) => {
      // 'close' follows. The `ws` package says why (e.g. ECONNREFUSED); browsers do not.
      const message = (e as { message?: unknown }).message;
      if (gen === this.generation && typeof message === 'string' && message) this.lastFailure = message;
    });
  }

  /** Closes for good. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    this.online = false;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    this.socket?.close(1000, 'client closed');
    this.socket = undefined;
  }

  private onFrame(gen: number, data: unknown): void {
    if (gen !== this.generation || typeof data !== 'string') return;
    this.lastFrameAt = Date.now();
    let frame: ReplyFrame | PushFrame;
    try {
      frame = JSON.parse(data) as ReplyFrame | PushFrame;
    } catch {
      return;
    }
    if (frame.type === 'push') this.on.push(frame);
    else if (frame.id === LOGIN_ID) this.onLogin(gen, frame);
    else this.on.reply(frame);
  }

  private onLogin(gen: number, frame: ReplyFrame): void {
    if (!frame.ok) {
      const code = frame.error?.code ?? 0;
      const renewable = code === 70001 && typeof this.options.userSig === 'function';
      if (isAuthFailure(code) && !renewable) {
        this.on.fatal(new ReadwireError('server', code, `login refused: ${frame.error?.info ?? ''}`));
      } else {
        this.socket?.close(1000, 'login failed');
      }
      return;
    }
    this.online = true;
    this.everLoggedIn = true;
    this.attempt = 0;
    this.startHeartbeat(gen);
    this.on.state('online');
    this.on.login(frame.data as unknown as LoginInfo, gen);
  }

  private dropped(gen: number, code: number, reason: string): void {
    if (gen !== this.generation) return;
    const closed = `connection closed (${code}${reason ? ` ${reason}` : ''})`;
    this.lastFailure = code === 1006 && this.lastFailure ? this.lastFailure : closed;
    this.generation++;
    this.online = false;
    this.socket = undefined;
    clearInterval(this.heartbeatTimer);
    if (this.stopped) return;
    if (code === 4409) {
      this.on.fatal(new ReadwireError('kicked', 0, `kicked: ${reason || 'the same user logged in elsewhere'}`));
      return;
    }
    if (code === 4001 && typeof this.options.userSig !== 'function') {
      this.on.fatal(new ReadwireError('server', 70001, `UserSig expired: ${reason}`));
      return;
    }
    if (this.resolved.reconnect === false) {
      this.on.fatal(new ReadwireError('closed', 0, `connection closed (${code} ${reason})`));
      return;
    }
    this.on.state('reconnecting');
    const { minDelayMs, maxDelayMs } = this.resolved.reconnect;
    const backoff = Math.min(maxDelayMs, minDelayMs * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    // A UserSig that expired is renewed at once (the renewer is called in open()).
    this.reconnectTimer = setTimeout(() => void this.open(), code === 4001 ? 0 : backoff);
  }

  /** Pings after `heartbeatMs` of silence; a socket silent for twice that (plus 5 s) is dead: drop it and reconnect. */
  private startHeartbeat(gen: number): void {
    clearInterval(this.heartbeatTimer);
    const hb = this.resolved.heartbeatMs;
    this.heartbeatTimer = setInterval(
      () => {
        if (gen !== this.generation) return;
        const idle = Date.now() - this.lastFrameAt;
        if (idle > 2 * hb + 5000) {
          const socket = this.socket;
          this.dropped(gen, 4000, 'heartbeat timeout');
          socket?.close(4000, 'heartbeat timeout');
        } else if (idle >= hb) {
          this.socket?.send(JSON.stringify({ id: 'ping', op: 'ping' }));
        }
      },
      Math.max(500, hb / 2),
    );
  }
}
