import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS } from '../crypto/verify-standard-webhook.ts';
import { decodeWebhookSecret } from '../crypto/webhook-secret.ts';
import { SdkOptionsError } from '../errors/sdk-error.ts';
import { createMemoryDedupeStore, type DedupeStore } from './dedupe-store.ts';
import { completeLogger, type FullLogger, type Logger } from './logger.ts';
import { SignChecker } from './sign-checker.ts';
import type { VerifySettings } from './verify-request.ts';

/** Default `requestTimeWindowSeconds`: Tencent's documented one minute. */
export const DEFAULT_REQUEST_TIME_WINDOW_SECONDS = 60;
/** Default `maxBodyBytes`: 1 MiB (a C2C callback is a few KB; Tencent caps messages at 12 KB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Default de-duplication TTL: 24 h, longer than Readwire's default retry schedule (about 10 h). */
export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/** De-duplication settings; `true` means an in-memory store with the default TTL. */
export interface DedupeOptions {
  /** Where claimed event ids live; default {@link createMemoryDedupeStore}. */
  store?: DedupeStore;
  /** How long an event id is remembered; default 24 h. */
  ttlMs?: number;
}

/** Options of `createCallbackReceiver`. */
export interface CallbackReceiverOptions {
  /** The app's SDKAppID; requests whose `SdkAppid` differs are refused. */
  sdkAppId: number;
  /** Callback authentication token(s). When set, `Sign`/`RequestTime` are required; several allow rotation. */
  tokens?: string | readonly string[];
  /** Standard Webhooks secret(s) (`whsec_…` or raw). When set, `webhook-signature` over the body is required. */
  signingSecrets?: string | readonly string[];
  /** Allowed distance of `RequestTime` from now, both directions; default 60. */
  requestTimeWindowSeconds?: number;
  /** Allowed distance of `webhook-timestamp` from now, both directions; default 300. */
  webhookToleranceSeconds?: number;
  /** Largest body accepted; default 1 MiB. Adapters stop reading beyond it. */
  maxBodyBytes?: number;
  /** Where to report refusals and handler failures; nothing is logged by default. */
  logger?: Logger;
  /** Answer OK as soon as the request is verified and run the handlers afterwards (not for before-callbacks). */
  ackFirst?: boolean;
  /** Run handlers once per `X-Readwire-Event-Id`; `true` = in-memory store, 24 h TTL. Default off. */
  dedupe?: boolean | DedupeOptions;
  /** Clock in milliseconds; default `Date.now`. */
  now?: () => number;
}

/** Options after defaults and validation. */
export interface ResolvedReceiverOptions {
  verify: VerifySettings;
  sdkAppId: number;
  logger: FullLogger;
  ackFirst: boolean;
  dedupe: { store: DedupeStore; ttlMs: number } | undefined;
  now: () => number;
}

function list(value: string | readonly string[] | undefined, name: string): readonly string[] {
  const items = value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  for (const item of items) {
    if (typeof item !== 'string' || item.length === 0) throw new SdkOptionsError(`${name} must be non-empty strings`);
  }
  return items;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new SdkOptionsError(`${name} must be a positive number`);
  return value;
}

/** Applies defaults and validates; throws `SdkOptionsError` on a bad option. */
export function resolveReceiverOptions(options: CallbackReceiverOptions): ResolvedReceiverOptions {
  if (!Number.isSafeInteger(options.sdkAppId) || options.sdkAppId <= 0) {
    throw new SdkOptionsError('sdkAppId must be a positive integer');
  }
  const tokens = list(options.tokens, 'tokens');
  const signingSecrets = list(options.signingSecrets, 'signingSecrets');
  for (const secret of signingSecrets) {
    try {
      decodeWebhookSecret(secret);
    } catch (e) {
      throw new SdkOptionsError(`signingSecrets: ${(e as Error).message}`);
    }
  }
  const window = positive(
    options.requestTimeWindowSeconds,
    DEFAULT_REQUEST_TIME_WINDOW_SECONDS,
    'requestTimeWindowSeconds',
  );
  const dedupe = options.dedupe === true ? {} : options.dedupe || undefined;
  return {
    sdkAppId: options.sdkAppId,
    verify: {
      sdkAppId: String(options.sdkAppId),
      signChecker: tokens.length > 0 ? new SignChecker(tokens, window) : undefined,
      signingSecrets,
      webhookToleranceSeconds: positive(
        options.webhookToleranceSeconds,
        DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
        'webhookToleranceSeconds',
      ),
      maxBodyBytes: positive(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes'),
    },
    logger: completeLogger(options.logger),
    ackFirst: options.ackFirst ?? false,
    dedupe: dedupe && {
      store: dedupe.store ?? createMemoryDedupeStore(),
      ttlMs: positive(dedupe.ttlMs, DEFAULT_DEDUPE_TTL_MS, 'dedupe.ttlMs'),
    },
    now: options.now ?? Date.now,
  };
}
