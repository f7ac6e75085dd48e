import type { Config } from '../config/config-schema.ts';
import { describeKeySource } from '../config/key-source.ts';

/**
 * Builds the handler of a UserSig refused as signed with another key (70009): the first time per configured app it
 * logs a hint naming where this server's key is kept, since the usual cause is a caller holding another key (an old
 * one, another environment's). Later refusals are not logged again (a misconfigured client would flood the log).
 */
export function wrongKeyHint(config: Config, warn: (message: string) => void): (sdkAppId: string) => void {
  const hinted = new Set<number>();
  return (sdkAppId) => {
    const index = config.apps.findIndex((a) => String(a.sdkAppId) === sdkAppId);
    if (index < 0 || hinted.has(index)) return;
    hinted.add(index);
    warn(
      `a UserSig for SDKAppID ${sdkAppId} was signed with another secret key (70009): the caller's key differs from ` +
        `${describeKeySource(config, index)}; give the caller that key, or sign with it (readwire usersig). ` +
        'Logged once per app.',
    );
  };
}
