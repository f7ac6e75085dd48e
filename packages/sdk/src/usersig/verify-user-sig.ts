import { fromBase64 } from '../crypto/bytes.ts';
import { timingSafeEqual } from '../crypto/bytes.ts';
import { hmacSha256 } from '../crypto/hmac-sha256.ts';
import { zlibInflateBounded } from '../crypto/zlib.ts';
import { signContent } from './sign-content.ts';
import { decodeUserSigBase64 } from './usersig-base64.ts';

/** Why a UserSig was refused, with the Tencent error code a server answers for it. */
export type UserSigFailure =
  | { ok: false; reason: 'empty'; errorCode: 70002; message: string }
  | { ok: false; reason: 'garbled'; errorCode: 70003; message: string }
  | { ok: false; reason: 'expired'; errorCode: 70001; message: string }
  | { ok: false; reason: 'bad-signature'; errorCode: 70009; message: string }
  | { ok: false; reason: 'identifier-mismatch'; errorCode: 70013; message: string }
  | { ok: false; reason: 'sdkappid-mismatch'; errorCode: 70014; message: string };

/** A verified UserSig: when it was issued and when it stops being valid (Unix seconds). */
export interface UserSigSuccess {
  ok: true;
  issuedAt: number;
  expiresAt: number;
}

/** Result of {@link verifyUserSig}. */
export type UserSigResult = UserSigSuccess | UserSigFailure;

/** Options of {@link verifyUserSig}. */
export interface VerifyUserSigOptions {
  sdkAppId: number;
  secretKey: string;
  userId: string;
  userSig: string;
  /** Unix seconds to judge expiry against; default now. */
  now?: number;
}

interface SigDoc {
  'TLS.ver'?: unknown;
  'TLS.identifier'?: unknown;
  'TLS.sdkappid'?: unknown;
  'TLS.time'?: unknown;
  'TLS.expire'?: unknown;
  'TLS.sig'?: unknown;
  'TLS.userbuf'?: unknown;
}

function fail<R extends UserSigFailure['reason']>(
  reason: R,
  errorCode: Extract<UserSigFailure, { reason: R }>['errorCode'],
  message: string,
): UserSigFailure {
  return { ok: false, reason, errorCode, message } as UserSigFailure;
}

/**
 * Longest UserSig accepted, in characters. A TLSSigAPIv2 UserSig is a few hundred characters (with a `userbuf`, such
 * as a privilege map, still well under a thousand); anything longer is refused as garbled before it is decoded.
 */
export const MAX_USERSIG_LENGTH = 4096;

/** Largest inflated UserSig document accepted, in bytes; a real one is a few hundred. */
export const MAX_USERSIG_INFLATED_BYTES = 4096;

async function decodeDoc(userSig: string): Promise<SigDoc | undefined> {
  const compressed = decodeUserSigBase64(userSig);
  if (!compressed || compressed.length === 0) return undefined;
  try {
    const inflated = await zlibInflateBounded(compressed, MAX_USERSIG_INFLATED_BYTES);
    const json = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
    const doc: unknown = JSON.parse(json);
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a TLSSigAPIv2 UserSig the way Tencent's servers do (`VerifyUserSig` in Tencent's Go library),
 * mapping each failure to the Tencent error code: 70002 empty, 70003 garbled, 70014 SDKAppID mismatch,
 * 70013 identifier mismatch, 70001 expired, 70009 wrong key. The HMAC is compared in constant time. A UserSig longer
 * than {@link MAX_USERSIG_LENGTH} characters, or one that would inflate beyond {@link MAX_USERSIG_INFLATED_BYTES}, is
 * refused as garbled (70003) before any large allocation, so a decompression bomb costs microseconds.
 */
export async function verifyUserSig(options: VerifyUserSigOptions): Promise<UserSigResult> {
  if (options.userSig.length === 0) return fail('empty', 70002, 'UserSig is empty');
  if (options.userSig.length > MAX_USERSIG_LENGTH) {
    return fail('garbled', 70003, `UserSig is longer than ${MAX_USERSIG_LENGTH} characters`);
  }
  const doc = await decodeDoc(options.userSig);
  if (!doc) return fail('garbled', 70003, 'UserSig could not be decoded');
  const {
    'TLS.identifier': identifier,
    'TLS.sdkappid': sdkAppId,
    'TLS.time': time,
    'TLS.expire': expire,
    'TLS.sig': sig,
  } = doc;
  if (
    typeof identifier !== 'string' ||
    typeof sdkAppId !== 'number' ||
    typeof time !== 'number' ||
    typeof expire !== 'number' ||
    typeof sig !== 'string'
  ) {
    return fail('garbled', 70003, 'UserSig is missing fields');
  }
  const userbuf = doc['TLS.userbuf'];
  if (userbuf !== undefined && typeof userbuf !== 'string')
    return fail('garbled', 70003, 'UserSig userbuf is malformed');
  if (sdkAppId !== options.sdkAppId)
    return fail('sdkappid-mismatch', 70014, 'SDKAppID in UserSig does not match the request');
  if (identifier !== options.userId)
    return fail('identifier-mismatch', 70013, 'identifier in UserSig does not match the request');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (now > time + expire) return fail('expired', 70001, 'UserSig expired');
  const given = fromBase64(sig);
  if (!given) return fail('garbled', 70003, 'UserSig signature is not base64');
  const expected = await hmacSha256(options.secretKey, signContent(identifier, sdkAppId, time, expire, userbuf));
  if (!timingSafeEqual(given, expected))
    return fail('bad-signature', 70009, 'UserSig signature does not verify with this app key');
  return { ok: true, issuedAt: time, expiresAt: time + expire };
}
