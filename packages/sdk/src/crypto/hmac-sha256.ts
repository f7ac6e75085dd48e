import { utf8 } from './bytes.ts';

const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_MAX = 256;

function importKey(secret: string | Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const raw = typeof secret === 'string' ? utf8(secret) : secret;
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * HMAC-SHA256 of `message` under `secret` (a string is used as its UTF-8 bytes), via Web Crypto.
 * Imported keys for string secrets are cached, since apps sign with a handful of secrets.
 */
export async function hmacSha256(
  secret: string | Uint8Array<ArrayBuffer>,
  message: string | Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  let key: Promise<CryptoKey>;
  if (typeof secret === 'string') {
    let cached = keyCache.get(secret);
    if (!cached) {
      if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
      cached = importKey(secret);
      keyCache.set(secret, cached);
    }
    key = cached;
  } else {
    key = importKey(secret);
  }
  const data = typeof message === 'string' ? utf8(message) : message;
  return new Uint8Array(await crypto.subtle.sign('HMAC', await key, data));
}

/** Plain SHA-256 of a UTF-8 string, as lower-case hex (Tencent's callback `Sign`). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text)));
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}
