import { SdkOptionsError } from '../errors/sdk-error.ts';
import { fixedUserSig, renewingUserSig, type UserSigSource } from './admin-usersig.ts';

/** Tencent's China endpoint; use the regional domain of your app, or your Readwire server's URL. */
export const DEFAULT_REST_BASE_URL = 'https://console.tim.qq.com';
/** Default request timeout: 10 s (Tencent's own REST timeout is 3 s; callers should wait longer). */
export const DEFAULT_REST_TIMEOUT_MS = 10_000;
/** Validity of the admin UserSig the client makes: 1 day, renewed after 90% of it. */
export const DEFAULT_ADMIN_USERSIG_TTL_SECONDS = 86_400;

/** Options of `createRestClient`. Give `secretKey` (the client signs itself) or a ready `userSig`. */
export interface RestClientOptions {
  /** `https://console.tim.qq.com` by default; a Readwire server's base URL works the same. */
  baseUrl?: string;
  sdkAppId: number;
  /** The app's secret key: the client makes the admin UserSig and renews it. */
  secretKey?: string;
  /** A fixed admin UserSig, when the secret key is kept elsewhere. */
  userSig?: string;
  /** The App admin account; default `administrator`. */
  identifier?: string;
  /** Per-request timeout; default 10,000 ms. */
  timeoutMs?: number;
  /** Validity of generated UserSigs; default 86,400 s. */
  userSigTtlSeconds?: number;
  /** A `fetch` implementation; default the global one (keep-alive pooled in Node). */
  fetch?: typeof fetch;
  /** Clock in milliseconds; default `Date.now`. */
  now?: () => number;
}

/** Options after defaults and validation. */
export interface ResolvedRestOptions {
  baseUrl: string;
  sdkAppId: number;
  identifier: string;
  timeoutMs: number;
  userSig: UserSigSource;
  fetch: typeof fetch;
}

/** Applies defaults; throws `SdkOptionsError` on bad options. */
export function resolveRestOptions(options: RestClientOptions): ResolvedRestOptions {
  if (!Number.isSafeInteger(options.sdkAppId) || options.sdkAppId <= 0) {
    throw new SdkOptionsError('sdkAppId must be a positive integer');
  }
  if ((options.secretKey === undefined) === (options.userSig === undefined)) {
    throw new SdkOptionsError('give exactly one of secretKey and userSig');
  }
  const identifier = options.identifier ?? 'administrator';
  const timeoutMs = options.timeoutMs ?? DEFAULT_REST_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new SdkOptionsError('timeoutMs must be positive');
  const ttl = options.userSigTtlSeconds ?? DEFAULT_ADMIN_USERSIG_TTL_SECONDS;
  if (!Number.isSafeInteger(ttl) || ttl <= 0) throw new SdkOptionsError('userSigTtlSeconds must be a positive integer');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new SdkOptionsError('no fetch available; pass options.fetch');
  return {
    baseUrl: (options.baseUrl ?? DEFAULT_REST_BASE_URL).replace(/\/+$/, ''),
    sdkAppId: options.sdkAppId,
    identifier,
    timeoutMs,
    userSig:
      options.secretKey !== undefined
        ? renewingUserSig(options.sdkAppId, options.secretKey, identifier, ttl, options.now ?? Date.now)
        : fixedUserSig(options.userSig as string),
    fetch: fetchImpl,
  };
}
