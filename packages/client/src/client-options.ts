import type { ReadwireError } from './readwire-error.ts';
import type { WebSocketConstructor } from './web-socket-factory.ts';
import type {
  LoginInfo,
  MessageEvent,
  ModifyEvent,
  PeerReadEvent,
  Platform,
  ReadReceiptEvent,
  UnreadEvent,
  WithdrawEvent,
} from './wire-types.ts';

/** Options of {@link ReadwireClient}. */
export interface ReadwireClientOptions {
  /** The gateway's URL, e.g. `ws://127.0.0.1:5080/v1/client` (`wss://` behind TLS). */
  url: string;
  sdkAppId: number;
  userId: string;
  /**
   * The user's UserSig, or a function returning a fresh one. A function is called at every login, so a client whose
   * sig expires (the server closes with 4001) logs in again with a new one; with a string it stops with an error.
   */
  userSig: string | (() => string | Promise<string>);
  /** The platform the server reports as `OptPlatform` in callbacks (default `Web`). */
  platform?: Platform;
  /** A cursor saved from an earlier session, to resume from it (see {@link ReadwireClient.cursor}). */
  cursor?: string;
  /** Reconnect after a dropped connection (default true), with exponential backoff between the delays given. */
  reconnect?: boolean | { minDelayMs?: number; maxDelayMs?: number };
  /**
   * How long `connect()` may take to reach the server and log in for the first time, across retries (default
   * 10,000 ms; 0 waits forever). When it runs out, `connect()` rejects with a `timeout` error naming the URL and the
   * last failure, `error` is emitted and the client closes. Once logged in, dropped connections are retried without
   * limit.
   */
  connectTimeoutMs?: number;
  /** How long a request may wait for its reply, across reconnects (default 15,000 ms). */
  requestTimeoutMs?: number;
  /** Send a ping after this long without traffic; drop the connection after twice this plus 5 s (default 25,000). */
  heartbeatMs?: number;
  /** The WebSocket implementation (default: the global one, else the `ws` package). */
  WebSocket?: WebSocketConstructor;
}

/** Where the client is: not started, (re)connecting, logged in, or closed for good. */
export type ClientState = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'closed';

/** The client's events and their arguments. */
export interface ClientEvents {
  /** A message to you, or from you on another device (your own sends from this client are not repeated). */
  message: [MessageEvent];
  /** A conversation of yours was read (on any device): its unread counts changed. */
  unread: [UnreadEvent];
  /** The peer read the conversation up to a time (its conversation read watermark moved). */
  peerRead: [PeerReadEvent];
  /** The peer sent per-message read receipts for messages you sent. */
  readReceipt: [ReadReceiptEvent];
  /** A message was edited (REST `modify_c2c_msg`). */
  modify: [ModifyEvent];
  /** A message was recalled. */
  withdraw: [WithdrawEvent];
  /** Logged in (again) and caught up with everything missed while offline. */
  synced: [{ cursor: string }];
  /** Missed events could not be replayed (offline too long): reload conversations and messages. */
  resync: [];
  /** Logged in. */
  login: [LoginInfo];
  state: [ClientState];
  /**
   * A fatal error: the client stopped (login refused, UserSig expired with no way to renew it, or the first connect
   * timed out).
   */
  error: [ReadwireError];
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  reconnect: false | { minDelayMs: number; maxDelayMs: number };
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  heartbeatMs: number;
}

/** Applies the defaults. */
export function resolveOptions(o: ReadwireClientOptions): ResolvedOptions {
  const r = o.reconnect ?? true;
  return {
    reconnect:
      r === false
        ? false
        : {
            minDelayMs: (r === true ? undefined : r.minDelayMs) ?? 250,
            maxDelayMs: (r === true ? undefined : r.maxDelayMs) ?? 10_000,
          },
    connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
    requestTimeoutMs: o.requestTimeoutMs ?? 15_000,
    heartbeatMs: o.heartbeatMs ?? 25_000,
  };
}
