import { toBase64, utf8 } from '../crypto/bytes.ts';
import { hmacSha256 } from '../crypto/hmac-sha256.ts';
import { zlibDeflate } from '../crypto/zlib.ts';
import { signContent } from './sign-content.ts';
import { encodeUserSigBase64 } from './usersig-base64.ts';

/** Options of {@link genUserSig}. */
export interface GenUserSigOptions {
  /** The app's SDKAppID. */
  sdkAppId: number;
  /** The app's secret key, exactly as the console shows it (used as UTF-8 bytes). */
  secretKey: string;
  /** The UserID the signature is for. */
  userId: string;
  /** Validity in seconds; default 180 days, as Tencent's libraries. */
  expireSeconds?: number;
  /** Issue time in Unix seconds; default now. */
  now?: number;
}

/** Default validity of a generated UserSig: 180 days, as Tencent's reference libraries. */
export const DEFAULT_USERSIG_EXPIRE_SECONDS = 180 * 86400;

/**
 * Generates a TLSSigAPIv2 UserSig, byte-compatible with Tencent's `tls-sig-api-v2` generators.
 *
 * @example
 * ```ts
 * const sig = await genUserSig({ sdkAppId: 1400000000, secretKey: key, userId: 'administrator' });
 * ```
 */
export async function genUserSig(options: GenUserSigOptions): Promise<string> {
  const time = options.now ?? Math.floor(Date.now() / 1000);
  const expire = options.expireSeconds ?? DEFAULT_USERSIG_EXPIRE_SECONDS;
  const content = signContent(options.userId, options.sdkAppId, time, expire);
  const sig = toBase64(await hmacSha256(options.secretKey, content));
  const doc = JSON.stringify({
    'TLS.ver': '2.0',
    'TLS.identifier': options.userId,
    'TLS.sdkappid': options.sdkAppId,
    'TLS.expire': expire,
    'TLS.time': time,
    'TLS.sig': sig,
  });
  return encodeUserSigBase64(await zlibDeflate(utf8(doc)));
}
