import { toBase64 } from './bytes.ts';
import { standardWebhookMac } from './standard-webhook-mac.ts';

/** Input of {@link signStandardWebhook}. */
export interface SignStandardWebhookOptions {
  /** `whsec_<base64>` (the base64 is the key) or any other string (its UTF-8 bytes are the key). */
  secret: string;
  /** The `webhook-id` header: the event id, constant across retries. */
  id: string;
  /** The `webhook-timestamp` header: Unix seconds. */
  timestamp: number | string;
  /** The exact request body, as sent. */
  body: string | Uint8Array;
}

/**
 * Signs a request the Standard Webhooks v1 way: HMAC-SHA256 over `id.timestamp.body`.
 *
 * @returns the value for the `webhook-signature` header, `v1,<base64>`.
 *
 * @example
 * ```ts
 * const signature = await signStandardWebhook({ secret: 'whsec_…', id: 'evt_1', timestamp: 1700000000, body });
 * ```
 */
export async function signStandardWebhook(options: SignStandardWebhookOptions): Promise<string> {
  const mac = await standardWebhookMac(options.secret, options.id, options.timestamp, options.body);
  return `v1,${toBase64(mac)}`;
}
