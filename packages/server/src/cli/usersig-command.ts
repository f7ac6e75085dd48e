import { genUserSig } from '@readwire/sdk';
import { defineCommand, UsageError } from './cli-command.ts';

/** `readwire usersig`: prints a TLSSigAPIv2 UserSig. */
export const usersigCommand = defineCommand({
  name: 'usersig',
  summary: 'Print a UserSig (TLSSigAPIv2) for a user of an app.',
  usage: '--sdkappid N --key KEY --user ID [--expire SECONDS]',
  description:
    "Signs a UserSig with the app secret key, the same way Tencent's tls-sig-api-v2 does, and prints it. Use it " +
    'as the usersig of REST calls (signed for the app admin) or to log a client in.',
  options: {
    sdkappid: { type: 'string', value: 'N', description: 'The SDKAppID.' },
    key: {
      type: 'string',
      value: 'KEY',
      description: 'The app secret key (with `npm start`: the file data/secret-key).',
    },
    user: { type: 'string', value: 'ID', description: 'The user the sig is for (the admin for REST calls).' },
    expire: { type: 'string', value: 'SECONDS', description: 'Validity in seconds (default 180 days).' },
  },
  examples: [
    'readwire usersig --sdkappid 1400000000 --key "$(cat data/secret-key)" --user administrator',
    'readwire usersig --sdkappid 1400000000 --key "$KEY" --user alice --expire 86400',
  ],
  async action(o) {
    if (o.sdkappid === undefined || o.key === undefined || o.user === undefined) {
      throw new UsageError('--sdkappid, --key and --user are required');
    }
    const sdkAppId = Number(o.sdkappid);
    const expire = o.expire === undefined ? undefined : Number(o.expire);
    if (!Number.isInteger(sdkAppId) || sdkAppId <= 0) throw new UsageError('--sdkappid must be a positive integer');
    if (o.key.length < 16) {
      throw new UsageError(
        '--key must be at least 16 characters: a server refuses a shorter secretKey, so no server would accept this UserSig',
      );
    }
    if (expire !== undefined && (!Number.isInteger(expire) || expire <= 0)) {
      throw new UsageError('--expire must be a positive number of seconds');
    }
    const sig = await genUserSig({ sdkAppId, secretKey: o.key, userId: o.user, expireSeconds: expire });
    process.stdout.write(`${sig}\n`);
  },
});
