import { genUserSig } from '@readwire/sdk';

/** `readwire usersig --sdkappid N --key K --user U [--expire S]`: prints a TLSSigAPIv2 UserSig. */
export async function usersigCommand(opts: {
  sdkappid?: string | undefined;
  key?: string | undefined;
  user?: string | undefined;
  expire?: string | undefined;
}): Promise<void> {
  if (!opts.sdkappid || !opts.key || !opts.user) {
    throw new Error('usage: readwire usersig --sdkappid N --key K --user U [--expire SECONDS]');
  }
  const sdkAppId = Number(opts.sdkappid);
  const expire = opts.expire === undefined ? undefined : Number(opts.expire);
  if (!Number.isInteger(sdkAppId) || sdkAppId <= 0) throw new Error('--sdkappid must be a positive integer');
  if (opts.key.length < 16) {
    throw new Error(
      '--key must be at least 16 characters: a server refuses a shorter secretKey, so no server would accept this UserSig',
    );
  }
  if (expire !== undefined && (!Number.isInteger(expire) || expire <= 0)) {
    throw new Error('--expire must be a positive number of seconds');
  }
  const sig = await genUserSig({ sdkAppId, secretKey: opts.key, userId: opts.user, expireSeconds: expire });
  process.stdout.write(`${sig}\n`);
}
