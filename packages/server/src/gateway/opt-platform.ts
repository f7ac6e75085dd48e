/** Tencent `OptPlatform` values a client connection can have (`RESTAPI` is the REST API's own). */
export type ClientPlatform = 'Web' | 'Android' | 'iOS' | 'Windows' | 'Mac' | 'iPad' | 'Unknown';

const PLATFORMS: Record<string, ClientPlatform> = {
  web: 'Web',
  android: 'Android',
  ios: 'iOS',
  windows: 'Windows',
  mac: 'Mac',
  macos: 'Mac',
  ipad: 'iPad',
};

/**
 * The `OptPlatform` of a client's declared platform, matched case-insensitively (`macOS` is `Mac`, `IOS` is `iOS`,
 * as Tencent's newer English docs and `State.StateChange` spell them); anything else, or nothing, is `Unknown`.
 */
export function toOptPlatform(platform: unknown): ClientPlatform {
  return (typeof platform === 'string' && PLATFORMS[platform.toLowerCase()]) || 'Unknown';
}
