/** Platforms Tencent reports in `OptPlatform`, with Tencent's Chinese-documentation spelling. */
export type OptPlatform = 'RESTAPI' | 'Web' | 'Android' | 'iOS' | 'Windows' | 'Mac' | 'iPad' | 'Unknown';

const CANONICAL: Readonly<Record<string, OptPlatform>> = {
  restapi: 'RESTAPI',
  web: 'Web',
  android: 'Android',
  ios: 'iOS',
  windows: 'Windows',
  mac: 'Mac',
  macos: 'Mac',
  ipad: 'iPad',
  unknown: 'Unknown',
  unkown: 'Unknown', // the 2018 documentation's spelling
};

/**
 * Normalises an `OptPlatform` value: case-insensitive, `macOS` → `Mac`, `IOS` → `iOS` (`State.StateChange`
 * spells it that way), Tencent's old `Unkown` → `Unknown`. Values it does not know become `Unknown`;
 * absent stays `undefined`.
 */
export function normalizeOptPlatform(value: string | undefined): OptPlatform | undefined {
  if (value === undefined || value === '') return undefined;
  return CANONICAL[value.toLowerCase()] ?? 'Unknown';
}
