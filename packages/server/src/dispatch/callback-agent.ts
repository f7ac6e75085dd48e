import { Agent, buildConnector } from 'undici';
import { guardedLookup, isPrivateAddress, PrivateAddressError } from './ssrf-guard.ts';

/** Connection-pool settings of a callback agent. */
export interface CallbackAgentOptions {
  /** Allow private, loopback and link-local targets (`allowPrivateCallbackUrls`). */
  allowPrivate: boolean;
  /** Connections per origin (the per-endpoint concurrency). */
  connections: number;
  /** Requests pipelined per connection (1 = none). */
  pipelining: number;
  /** Largest response body accepted; a larger one fails the attempt. */
  maxResponseBytes: number;
}

/** How long a TCP/TLS connect may take; the attempt's own timeout usually ends it first. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Idle keep-alive connections are closed after this long (below the 5 s of Node's and many servers' default). */
export const KEEP_ALIVE_TIMEOUT_MS = 4_000;

/**
 * One undici `Agent` for callbacks: a keep-alive pool per origin with at most `connections` sockets, bounded
 * response size, and the SSRF guard at connect time — literal addresses are checked before connecting, names by
 * `guardedLookup` on every resolution (so DNS cannot smuggle a private address in later).
 */
export function createCallbackAgent(options: CallbackAgentOptions): Agent {
  const base = buildConnector({
    timeout: CONNECT_TIMEOUT_MS,
    ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
  });
  const connect: buildConnector.connector = (target, callback) => {
    if (!options.allowPrivate && isPrivateAddress(target.hostname)) {
      callback(new PrivateAddressError(`refused: ${target.hostname} is a private address`), null);
      return;
    }
    base(target, callback);
  };
  return new Agent({
    connect,
    connections: options.connections,
    pipelining: options.pipelining,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    maxResponseSize: options.maxResponseBytes,
    // Each attempt has its own overall timeout (callback-sender.ts), covering connect, headers and body; undici's
    // per-request timers would only duplicate it (and cost a timer object per request).
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}
