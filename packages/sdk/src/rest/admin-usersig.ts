import { genUserSig } from '../usersig/gen-user-sig.ts';

/** Supplies the admin UserSig for REST calls. */
export interface UserSigSource {
  /** The UserSig to use now. */
  get(): Promise<string>;
  /** Drops a cached UserSig (after the API said it expired); a fixed UserSig cannot be renewed. */
  invalidate(): boolean;
}

/** A UserSig given by the caller, used as is. */
export function fixedUserSig(userSig: string): UserSigSource {
  return { get: () => Promise.resolve(userSig), invalidate: () => false };
}

/**
 * Generates the admin UserSig from the secret key and renews it when 90% of its validity has passed.
 */
export function renewingUserSig(
  sdkAppId: number,
  secretKey: string,
  identifier: string,
  ttlSeconds: number,
  now: () => number,
): UserSigSource {
  let current: { sig: Promise<string>; renewAt: number } | undefined;
  return {
    get() {
      const t = now();
      if (!current || t >= current.renewAt) {
        const issued = Math.floor(t / 1000);
        const sig = genUserSig({ sdkAppId, secretKey, userId: identifier, expireSeconds: ttlSeconds, now: issued });
        current = { sig, renewAt: t + ttlSeconds * 900 };
      }
      return current.sig;
    },
    invalidate() {
      current = undefined;
      return true;
    },
  };
}
