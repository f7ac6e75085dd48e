/**
 * Signing primitives shared by the Readwire server (which signs) and the SDK receiver (which verifies).
 * Web Crypto only, so they run unchanged on Node, Bun, Deno and Workers.
 * @module
 */
export { tencentCallbackSign } from './tencent-callback-sign.ts';
export { signStandardWebhook, type SignStandardWebhookOptions } from './sign-standard-webhook.ts';
export {
  verifyStandardWebhook,
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type VerifyStandardWebhookOptions,
  type StandardWebhookResult,
  type StandardWebhookFailureCode,
} from './verify-standard-webhook.ts';
export { decodeWebhookSecret } from './webhook-secret.ts';
export { timingSafeEqual } from './bytes.ts';
