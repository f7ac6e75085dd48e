import { normalizeOptPlatform, type OptPlatform } from '@readwire/sdk';

/** Tencent `OptPlatform` values a client connection can have (`RESTAPI` is the REST API's own). */
export type ClientPlatform = Exclude<OptPlatform, 'RESTAPI'>;

/**
 * The `OptPlatform` of a client's declared platform, normalised as the SDK does for callbacks (case-insensitive,
 * `macOS` is `Mac`, `IOS` is `iOS`, as Tencent's newer English docs and `State.StateChange` spell them); anything
 * else, nothing, or `RESTAPI` (which no client is) is `Unknown`.
 */
export function toOptPlatform(platform: unknown): ClientPlatform {
  const p = normalizeOptPlatform(typeof platform === 'string' ? platform : undefined);
  return p === undefined || p === 'RESTAPI' ? 'Unknown' : p;
}
