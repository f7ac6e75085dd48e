import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TLSSigAPIv2 = require('tls-sig-api-v2') as {
  Api: new (sdkAppId: number, key: string) => { genUserSig(userId: string, expire: number): string };
};

/** A UserSig made by Tencent's own generator (npm `tls-sig-api-v2`), to prove compatibility. */
export function tencentUserSig(sdkAppId: number, key: string, userId: string, expireSeconds = 86400): string {
  return new TLSSigAPIv2.Api(sdkAppId, key).genUserSig(userId, expireSeconds);
}
