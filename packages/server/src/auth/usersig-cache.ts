import { MAX_USERSIG_LENGTH, verifyUserSig } from '@readwire/sdk';
import type { ErrorName } from '../errors/error-catalog.ts';
import { ImError } from '../errors/im-error.ts';

const FAILURE_CODES: Record<string, ErrorName> = {
  empty: 'USERSIG_EMPTY',
  garbled: 'USERSIG_GARBLED',
  expired: 'USERSIG_EXPIRED',
  'bad-signature': 'USERSIG_BAD_SIGNATURE',
  'identifier-mismatch': 'USERSIG_IDENTIFIER_MISMATCH',
  'sdkappid-mismatch': 'USERSIG_SDKAPPID_MISMATCH',
};

/** Cached verifications kept at most (oldest evicted first). */
const MAX_ENTRIES = 10_000;

/**
 * Verifies UserSigs (TLSSigAPIv2) and remembers the ones that verified, until they expire, so a caller that reuses
 * its admin UserSig (as Tencent recommends) pays for HMAC + inflate once. Expiry is still checked on every hit.
 */
export class UserSigVerifier {
  private readonly verified = new Map<string, number>();
  /**
   * The last UserSig that verified. Most calls reuse one admin UserSig, and comparing it costs less than building
   * and hashing the cache key of a few hundred characters on every request.
   */
  private last: { sdkAppId: number; userId: string; userSig: string; expiresAt: number } | undefined;

  /**
   * Resolves with the UserSig's expiry (Unix seconds) or throws the matching `ImError` (7000x). A UserSig over
   * `MAX_USERSIG_LENGTH` characters, or inflating beyond a few KB, is 70003 at once (no decompression bomb gets far).
   */
  async verify(sdkAppId: number, secretKey: string, userId: string, userSig: string): Promise<number> {
    // Refused before it is hashed into a cache key or decoded: no real UserSig is this long.
    if (userSig.length > MAX_USERSIG_LENGTH) {
      throw new ImError('USERSIG_GARBLED', `UserSig is longer than ${MAX_USERSIG_LENGTH} characters`);
    }
    const now = Math.floor(Date.now() / 1000);
    const last = this.last;
    if (last?.userSig === userSig && last.userId === userId && last.sdkAppId === sdkAppId && now <= last.expiresAt) {
      return last.expiresAt;
    }
    const key = `${sdkAppId}\n${userId}\n${userSig}`;
    const expiresAt = this.verified.get(key);
    if (expiresAt !== undefined) {
      if (now <= expiresAt) {
        this.last = { sdkAppId, userId, userSig, expiresAt };
        return expiresAt;
      }
      this.verified.delete(key);
      throw new ImError('USERSIG_EXPIRED');
    }
    const r = await verifyUserSig({ sdkAppId, secretKey, userId, userSig, now });
    if (!r.ok) throw new ImError(FAILURE_CODES[r.reason]!, r.message);
    if (this.verified.size >= MAX_ENTRIES) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(key, r.expiresAt);
    this.last = { sdkAppId, userId, userSig, expiresAt: r.expiresAt };
    return r.expiresAt;
  }
}
