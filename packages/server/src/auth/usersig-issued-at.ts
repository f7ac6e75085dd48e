import { inflateSync } from 'node:zlib';

/**
 * `TLS.time` (Unix seconds) of a UserSig that has already been verified, or 0 when it cannot be read. Reverses the
 * UserSig's base64 variant (`*` `-` `_` for `+` `/` `=`) and its zlib compression.
 */
export function userSigIssuedAt(userSig: string): number {
  try {
    const b64 = userSig.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '=');
    const doc = JSON.parse(inflateSync(Buffer.from(b64, 'base64')).toString('utf8')) as Record<string, unknown>;
    const time = doc['TLS.time'];
    return typeof time === 'number' ? time : 0;
  } catch {
    return 0;
  }
}
