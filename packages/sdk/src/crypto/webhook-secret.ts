import { fromBase64, utf8 } from './bytes.ts';

const WHSEC_PREFIX = 'whsec_';
const KEY_CACHE_MAX = 64;
const keyCache = new Map<string, Promise<CryptoKey>>();
const bytesCache = new Map<string, Uint8Array<ArrayBuffer>>();

/** {@link decodeWebhookSecret}, memoised (apps use a handful of secrets). */
export function webhookSecretBytes(secret: string): Uint8Array<ArrayBuffer> {
  let bytes = bytesCache.get(secret);
  if (!bytes) {
    bytes = decodeWebhookSecret(secret);
    if (bytesCache.size >= KEY_CACHE_MAX) bytesCache.clear();
    bytesCache.set(secret, bytes);
  }
  return bytes;
}

/**
 * Key bytes of a Standard Webhooks secret: `whsec_<base64>` is base64-decoded; any other string is used as
 * its UTF-8 bytes. Throws a `TypeError` when a `whsec_` secret is not valid base64 or is empty.
 */
export function decodeWebhookSecret(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(WHSEC_PREFIX)) {
    if (secret.length === 0) throw new TypeError('[@readwire/sdk] signing secret must not be empty');
    return utf8(secret);
  }
  const bytes = fromBase64(secret.slice(WHSEC_PREFIX.length));
  if (!bytes || bytes.length === 0) throw new TypeError('[@readwire/sdk] whsec_ signing secret is not valid base64');
  return bytes;
}

/** The HMAC-SHA256 `CryptoKey` of a Standard Webhooks secret, imported once and cached. */
export function webhookHmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    key = crypto.subtle.importKey('raw', webhookSecretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keyCache.set(secret, key);
  }
  return key;
}
