import { z } from 'zod';
import { gatewayConfigSchema } from '../gateway/gateway-config.ts';

/** The callback commands Readwire can send. */
export const CALLBACK_COMMANDS = [
  'C2C.CallbackBeforeSendMsg',
  'C2C.CallbackAfterSendMsg',
  'C2C.CallbackAfterMsgReport',
  'C2C.CallbackAfterMsgWithDraw',
  'C2C.CallbackAfterMsgReadReceipt',
  'C2C.CallbackAfterMsgReadAll',
  'C2C.CallbackAfterModifyMsg',
  'State.StateChange',
] as const;

/** One app's callback settings. */
export const callbackConfigSchema = z
  .object({
    /** The app backend's callback URL (http or https); its query string is kept. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    /** Which callbacks are enabled. */
    commands: z.array(z.enum(CALLBACK_COMMANDS)).default(['C2C.CallbackAfterMsgReport']),
    /** Tencent callback authentication token: adds `RequestTime` and `Sign = sha256(token + RequestTime)`. */
    token: z.string().min(1).max(128).optional(),
    /** Standard Webhooks secret (`whsec_…` or any string): adds `webhook-*` headers signing the body. */
    signingSecret: z.string().min(8).optional(),
    /** Per-attempt timeout in ms (Tencent: 2,000). */
    timeoutMs: z.number().int().min(100).max(60_000).default(2000),
    /** Retry schedule in seconds after each failed attempt, or "none" (Tencent's default: one attempt). */
    retry: z.union([z.literal('none'), z.array(z.number().nonnegative()).max(50)]).optional(),
  })
  .strict();

/** One app (SDKAppID). */
export const appConfigSchema = z
  .object({
    sdkAppId: z.number().int().min(1).max(4294967295),
    secretKey: z.string().min(16, 'must be at least 16 characters'),
    admin: z.string().min(1).max(32).default('administrator'),
    /** REST calls per second per command for this app (Tencent's default 200); 0 = unlimited. */
    restRateLimit: z.number().int().min(0).default(200),
    callback: callbackConfigSchema.optional(),
  })
  .strict();

/**
 * Callback dispatcher tuning. Every field has a default; see `packages/server/docs/callbacks.md`.
 * An endpoint is the origin (`scheme://host:port`) of a callback URL.
 */
export const dispatcherConfigSchema = z
  .object({
    /** How long a claimed event stays leased; the lease used is at least the app's `timeoutMs` + 10 s. */
    leaseMs: z.number().int().min(1000).default(60_000),
    /** Most callback requests in flight per endpoint (also its connection pool size). */
    concurrencyPerEndpoint: z.number().int().min(1).max(4096).default(256),
    /** HTTP/1.1 requests pipelined on one connection (1 = no pipelining). */
    pipelining: z.number().int().min(1).max(32).default(1),
    /** Most events claimed for one app in one claim. */
    claimBatch: z.number().int().min(1).max(4096).default(256),
    /**
     * Claim at insert: a new event that is the head of its ordering key is written already claimed when its endpoint
     * has room, and sent as soon as its transaction committed (no claim of its own). Off: every event is claimed.
     */
    claimOnInsert: z.boolean().default(true),
    /** Safety-net poll interval; commits and completed attempts wake the dispatcher at once. */
    pollIntervalMs: z.number().int().min(10).max(60_000).default(1000),
    /** Delivered events (and their attempts) older than this are pruned; dead events are kept. */
    retentionDays: z.number().positive().default(7),
    /** How often pruning runs. */
    pruneIntervalMs: z.number().int().min(100).default(60_000),
    /** Random spread of each retry delay, as a fraction (0.2 = ±20 %). */
    retryJitter: z.number().min(0).max(1).default(0.2),
    /** Consecutive failed attempts that open an endpoint's circuit breaker. */
    breakerFailureThreshold: z.number().int().min(1).default(10),
    /** How long an open breaker waits before one probe attempt; doubles after each failed probe. */
    breakerOpenMs: z.number().int().min(10).default(5_000),
    /** Longest wait between probes of an open breaker. */
    breakerMaxOpenMs: z.number().int().min(10).default(30_000),
    /** On shutdown, how long in-flight attempts may finish before they are aborted and their leases released. */
    stopGraceMs: z.number().int().min(0).default(5_000),
    /**
     * Commit claims and attempt results with an fsync each. Off (default): they ride in the OS cache until the next
     * fully synced commit; a process crash loses nothing, a power loss may re-send the affected events.
     */
    syncOutboxWrites: z.boolean().default(false),
    /**
     * Fair share for delivery: while an app has at least this many undelivered events and its endpoint is healthy,
     * each write that sends a callback waits until a delivery makes room (0 = off).
     */
    admissionBacklog: z.number().int().min(0).default(512),
    /** Longest a write waits for admission (then it goes ahead anyway). */
    admissionMaxWaitMs: z.number().int().min(1).max(60_000).default(1000),
    /** Largest response body read from a callback receiver. */
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .default(64 * 1024),
  })
  .strict();

/** The whole configuration file. */
export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(5080),
    storage: z
      .object({
        sqlite: z
          .object({
            path: z.string().min(1).default('./data/readwire.db'),
            synchronous: z.enum(['FULL', 'NORMAL', 'OFF']).default('FULL'),
            groupCommitWindowMs: z.number().min(0).max(50).default(0),
            /** Create the database although its folder shows one existed (its `-wal` or the `secret-key` is there). */
            allowNewDatabase: z.boolean().default(false),
          })
          .strict()
          .default({
            path: './data/readwire.db',
            synchronous: 'FULL',
            groupCommitWindowMs: 0,
            allowNewDatabase: false,
          }),
        /**
         * PostgreSQL instead of SQLite: any number of nodes on one database and schema form one deployment. An
         * acknowledged write has committed as the server's `synchronous_commit` makes it durable: `on` (the default)
         * waits for the WAL flush; `off` may lose the last moments of acknowledged writes if the database server
         * crashes (never corrupting anything).
         */
        postgres: z
          .object({
            /** `postgres://user:password@host:port/database`; without it the `PG*` environment variables apply. */
            url: z.string().min(1).optional(),
            /** Schema holding the tables; created if missing. */
            schema: z
              .string()
              .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case identifier ([a-z_][a-z0-9_]*)')
              .default('readwire'),
            /** Connections of this node's pool. */
            poolSize: z.number().int().min(1).max(1000).default(10),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({
        sqlite: { path: './data/readwire.db', synchronous: 'FULL', groupCommitWindowMs: 0, allowNewDatabase: false },
      }),
    /** Allow callback URLs on private, loopback and link-local addresses (development only). */
    allowPrivateCallbackUrls: z.boolean().default(false),
    /** Largest REST request body in bytes; larger requests get ErrorCode 93000. */
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** Addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed. */
    trustedProxies: z.array(z.string()).default([]),
    /** Client WebSocket gateway settings. */
    gateway: gatewayConfigSchema.prefault({}),
    /** Callback dispatcher tuning. */
    dispatcher: dispatcherConfigSchema.prefault({}),
    /** Protection of `GET /metrics` (which names every callback endpoint's origin). */
    metrics: z
      .object({
        /** When set, `/metrics` answers 401 unless the request has `Authorization: Bearer <token>`. */
        token: z.string().min(16, 'must be at least 16 characters').optional(),
      })
      .strict()
      .default({}),
    /** The browser console served at `/console`. */
    console: z
      .object({
        /** Serve the console at `/console` (its REST commands and live stream are there either way). */
        enabled: z.boolean().default(true),
        /** Folder of the built console (default: the `dist` folder of the `@readwire/console` package). */
        assetsDir: z.string().min(1).optional(),
        /** Most live-stream items sent per second per stream (the rest are counted as `Dropped`). */
        liveItemsPerSecond: z.number().int().min(0).max(1000).default(50),
      })
      .strict()
      .default({ enabled: true, liveItemsPerSecond: 50 }),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    apps: z
      .array(appConfigSchema)
      .min(1, 'at least one app is required')
      .refine((apps) => new Set(apps.map((a) => a.sdkAppId)).size === apps.length, 'sdkAppId values must be unique'),
  })
  .strict();

/** A validated configuration. */
export type Config = z.infer<typeof configSchema>;
/** A validated app configuration. */
export type AppConfig = z.infer<typeof appConfigSchema>;
/** Validated dispatcher settings. */
export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;
/** A validated callback configuration. */
export type CallbackConfig = z.infer<typeof callbackConfigSchema>;
/** The configuration as written in the file (defaults not applied). */
export type ConfigInput = z.input<typeof configSchema>;
