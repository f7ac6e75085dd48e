import { nodeCrypto } from './node-crypto.ts';
import { standardWebhookContent } from './standard-webhook-content.ts';
import { webhookHmacKey, webhookSecretBytes } from './webhook-secret.ts';

/**
 * HMAC-SHA256 of `id.timestamp.body` under a Standard Webhooks secret: synchronous through `node:crypto` where
 * the runtime has it (a Web Crypto `sign` per request costs about twice the whole rest of a verification),
 * else Web Crypto (`node` is a parameter so tests can take either path).
 */
export function standardWebhookMac(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
  node: typeof nodeCrypto | null = nodeCrypto,
): Uint8Array | Promise<Uint8Array> {
  if (node) {
    return node.createHmac('sha256', webhookSecretBytes(secret)).update(`${id}.${timestamp}.`).update(body).digest();
  }
  return webhookHmacKey(secret).then(
    async (key) => new Uint8Array(await crypto.subtle.sign('HMAC', key, standardWebhookContent(id, timestamp, body))),
  );
}
