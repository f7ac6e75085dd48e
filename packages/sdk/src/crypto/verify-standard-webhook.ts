import { fromBase64, timingSafeEqual } from './bytes.ts';
import { standardWebhookMac } from './standard-webhook-mac.ts';

/** Default tolerance of `webhook-timestamp` in both directions: five minutes, as the Standard Webhooks spec. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** Input of {@link verifyStandardWebhook}. */
export interface VerifyStandardWebhookOptions {
  /** One secret, or several during a rotation (any one may match). `whsec_<base64>` or a raw string. */
  secret: string | readonly string[];
  /** The `webhook-id` header. */
  id: string | null | undefined;
  /** The `webhook-timestamp` header (Unix seconds). */
  timestamp: string | null | undefined;
  /** The `webhook-signature` header: space-separated `v1,<base64>` entries; other versions are ignored. */
  signature: string | null | undefined;
  /** The exact raw body received. */
  body: string | Uint8Array;
  /** Allowed distance between `webhook-timestamp` and now, both directions; default 300. */
  toleranceSeconds?: number;
  /** Current Unix seconds; default the clock. */
  now?: number;
}

/** Why {@link verifyStandardWebhook} refused; the codes are those of the SDK error catalog. */
export type StandardWebhookFailureCode =
  | 'WEBHOOK_SIGNATURE_MISSING'
  | 'WEBHOOK_TIMESTAMP_INVALID'
  | 'WEBHOOK_SIGNATURE_MISMATCH'
  | 'WEBHOOK_TIMESTAMP_OUT_OF_WINDOW';

/** Result of {@link verifyStandardWebhook}. */
export type StandardWebhookResult =
  { ok: true; timestamp: number } | { ok: false; code: StandardWebhookFailureCode; message: string };

function candidateSignatures(header: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const part of header.split(' ')) {
    if (!part.startsWith('v1,')) continue;
    const bytes = fromBase64(part.slice(3));
    if (bytes) out.push(bytes);
  }
  return out;
}

/**
 * Verifies a Standard Webhooks v1 signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`):
 * every `v1,` entry of the header is compared, in constant time, with HMAC-SHA256(`id.timestamp.body`) under
 * each secret; the timestamp must be within the tolerance in both directions (checked after the signature,
 * so a refused request tells nothing about the clock to an attacker without the secret).
 *
 * @example
 * ```ts
 * const r = await verifyStandardWebhook({ secret, id, timestamp, signature, body: rawBody });
 * if (!r.ok) console.log(r.code);
 * ```
 */
export async function verifyStandardWebhook(options: VerifyStandardWebhookOptions): Promise<StandardWebhookResult> {
  const { id, timestamp, signature } = options;
  if (!id || !timestamp || !signature) {
    return { ok: false, code: 'WEBHOOK_SIGNATURE_MISSING', message: 'webhook-id, -timestamp or -signature missing' };
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    return { ok: false, code: 'WEBHOOK_TIMESTAMP_INVALID', message: 'webhook-timestamp is not integer seconds' };
  }
  const given = candidateSignatures(signature);
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  let matched = false;
  for (const secret of secrets) {
    let expected = standardWebhookMac(secret, id, timestamp, options.body);
    if (expected instanceof Promise) expected = await expected;
    for (const candidate of given) {
      if (timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  if (!matched) {
    return { ok: false, code: 'WEBHOOK_SIGNATURE_MISMATCH', message: 'no v1 signature matches any signing secret' };
  }
  const ts = Number(timestamp);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(now - ts) > tolerance) {
    const message = `webhook-timestamp ${ts} is ${now - ts} s from now (tolerance ${tolerance} s)`;
    return { ok: false, code: 'WEBHOOK_TIMESTAMP_OUT_OF_WINDOW', message };
  }
  return { ok: true, timestamp: ts };
}
