import { z } from 'zod';

/**
 * Client gateway settings (`gateway` in the configuration file). Every field has a default; the limits apply per
 * connection. See `packages/server/docs/client-protocol.md`.
 */
export const gatewayConfigSchema = z
  .object({
    /** URL path of the WebSocket endpoint on the server's port. */
    path: z
      .string()
      .regex(/^\/[^?#]*$/, 'must be a path starting with /')
      .default('/v1/client'),
    /** Largest frame a client may send; larger ones are answered with ErrorCode 93000 (4× this closes the socket). */
    maxFrameBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
    /** Requests per second per connection (bursts up to twice this); more are answered with ErrorCode 60018. */
    requestsPerSecond: z.number().int().min(1).default(20),
    /** Ping interval; a connection that has not answered the previous ping is dropped. */
    heartbeatMs: z.number().int().min(100).default(30_000),
    /** Bytes queued to one client beyond which it is disconnected as a slow consumer (it resumes on reconnect). */
    maxBufferedBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** Time a new connection has to log in. */
    loginTimeoutMs: z.number().int().min(100).default(10_000),
    /** Largest frame accepted before login (the login request itself); a larger one is an invalid frame. */
    maxLoginFrameBytes: z.number().int().min(512).max(65_536).default(8192),
    /** Invalid frames (or failed logins) a connection may send before logging in; one more closes it (4400). */
    maxInvalidFramesBeforeLogin: z.number().int().min(0).max(1000).default(5),
    /** Connections from one client address that have not logged in yet; more are refused with HTTP 429. */
    maxPendingPerAddress: z.number().int().min(1).default(32),
    /** Logged-in connections per user; a login beyond it closes the user's oldest connection (4409, kicked). */
    maxConnectionsPerUser: z.number().int().min(1).max(10_000).default(10),
    /** Most missed entries replayed on resume; a device further behind reloads (`resync`). */
    maxReplayEvents: z.number().int().min(1).default(10_000),
    /** Sync-log entries older than this are pruned; a device offline longer reloads on reconnect. */
    syncRetentionHours: z.number().positive().default(168),
  })
  .strict();

/** Validated gateway settings. */
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
