/**
 * Every error the SDK reports, by stable string code, with the HTTP status the callback receiver answers
 * and the default `ErrorInfo`. Codes never change meaning; match on `error.code`, not on messages.
 *
 * Status choice: a verification failure is refused with a non-200 status because both Tencent and Readwire
 * treat any non-200 answer as a failed delivery (Readwire retries it and records it, so a misconfigured
 * receiver shows up as failing deliveries that can be replayed once fixed). 401 = the request could not be
 * authenticated, 403 = it is addressed to another app, 405 = not POST, 413 = body over the limit,
 * 400 = malformed, 500 = the receiver itself failed (a handler threw, or it cannot check the body signature).
 * @module
 */

/** The catalog: stable code → HTTP status (receiver errors only) and default message. */
export const SdkErrorCatalog = {
  // Callback receiver: request verification, in the order the checks run.
  METHOD_NOT_ALLOWED: { status: 405, info: 'callbacks must be sent with POST' },
  SDKAPPID_MISMATCH: { status: 403, info: 'SdkAppid in the URL is not this receiver’s SDKAppID' },
  SIGN_MISSING: { status: 401, info: 'Sign and RequestTime are required in the URL (callback authentication is on)' },
  REQUEST_TIME_INVALID: { status: 401, info: 'RequestTime is not a Unix time in seconds' },
  SIGN_MISMATCH: { status: 401, info: 'Sign does not equal sha256(token + RequestTime) for any configured token' },
  REQUEST_TIME_OUT_OF_WINDOW: { status: 401, info: 'RequestTime is too far from the current time' },
  WEBHOOK_SIGNATURE_MISSING: {
    status: 401,
    info: 'webhook-id, webhook-timestamp and webhook-signature headers are required (a signing secret is set)',
  },
  WEBHOOK_BODY_UNAVAILABLE: {
    status: 500,
    info: 'the raw body is needed to check webhook-signature but a body parser already consumed it',
  },
  WEBHOOK_TIMESTAMP_INVALID: { status: 401, info: 'webhook-timestamp is not a Unix time in seconds' },
  WEBHOOK_SIGNATURE_MISMATCH: { status: 401, info: 'no webhook-signature matches the body for any signing secret' },
  WEBHOOK_TIMESTAMP_OUT_OF_WINDOW: { status: 401, info: 'webhook-timestamp is too far from the current time' },
  CONTENT_TYPE_UNSUPPORTED: { status: 400, info: 'contenttype in the URL must be json' },
  COMMAND_MISSING: { status: 400, info: 'CallbackCommand is missing from the URL' },
  BODY_TOO_LARGE: { status: 413, info: 'request body is larger than the receiver’s limit' },
  BODY_NOT_JSON: { status: 400, info: 'request body is not a JSON object' },
  COMMAND_MISMATCH: { status: 400, info: 'CallbackCommand in the body differs from the one in the URL' },
  PAYLOAD_INVALID: { status: 400, info: 'a field of the callback body has the wrong type' },
  HANDLER_FAILED: { status: 500, info: 'the callback handler failed' },
  // REST client.
  REST_FAILED: { status: 0, info: 'the REST API answered ActionStatus FAIL' },
  REST_HTTP_STATUS: { status: 0, info: 'the REST API answered a non-200 HTTP status' },
  REST_BAD_RESPONSE: { status: 0, info: 'the REST API answered something that is not a JSON envelope' },
  REST_TIMEOUT: { status: 0, info: 'the REST API did not answer in time' },
  REST_NETWORK: { status: 0, info: 'the REST API could not be reached' },
  // Programming errors.
  INVALID_OPTIONS: { status: 0, info: 'invalid options' },
} as const satisfies Record<string, { status: number; info: string }>;

/** Stable code of an SDK error. */
export type SdkErrorCode = keyof typeof SdkErrorCatalog;

/** Codes a callback receiver can refuse a request with. */
export type CallbackErrorCode = {
  [K in SdkErrorCode]: (typeof SdkErrorCatalog)[K]['status'] extends 0 ? never : K;
}[SdkErrorCode];

/** Codes the REST client can throw. */
export type RestErrorCode = Extract<SdkErrorCode, `REST_${string}`>;
