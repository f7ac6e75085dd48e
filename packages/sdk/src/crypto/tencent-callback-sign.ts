import { sha256Hex } from './hmac-sha256.ts';

/**
 * Tencent Cloud IM's callback `Sign`: lower-case hex `sha256(token + RequestTime)` (plain SHA-256, not HMAC),
 * where `RequestTime` is the decimal Unix time in seconds that travels next to it in the callback URL.
 *
 * The Readwire server signs with this function and the SDK's receiver verifies with it, so both agree by
 * construction.
 *
 * @param token - the callback authentication token configured for the app.
 * @param requestTime - Unix seconds, as a number or as the decimal string found in the URL.
 * @returns 64 lower-case hex characters.
 *
 * @example
 * ```ts
 * await tencentCallbackSign('xxxxyyyy', 1669872112);
 * // '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061'
 * ```
 */
export function tencentCallbackSign(token: string, requestTime: number | string): Promise<string> {
  return sha256Hex(token + String(requestTime));
}
