import { verifyStandardWebhook } from '../crypto/verify-standard-webhook.ts';
import { CallbackError } from '../errors/sdk-error.ts';
import { getHeader, QueryParams, type CallbackRequest } from './callback-request.ts';
import { checkPayload } from './payload-schemas.ts';
import { checkBodySize, parseBody } from './read-body.ts';
import type { SignChecker } from './sign-checker.ts';

/** Settings the checks need, resolved from the receiver options. */
export interface VerifySettings {
  sdkAppId: string;
  signChecker: SignChecker | undefined;
  signingSecrets: readonly string[];
  webhookToleranceSeconds: number;
  maxBodyBytes: number;
}

/** A request that passed every check. */
export interface VerifiedCallback {
  command: string;
  payload: Record<string, unknown>;
  query: QueryParams;
  requestTime: number | undefined;
}

async function checkBodySignature(request: CallbackRequest, settings: VerifySettings, now: number): Promise<void> {
  const { headers } = request;
  const id = getHeader(headers, 'webhook-id');
  const timestamp = getHeader(headers, 'webhook-timestamp');
  const signature = getHeader(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) throw new CallbackError('WEBHOOK_SIGNATURE_MISSING');
  checkBodySize(request, settings.maxBodyBytes);
  if (request.rawBody === undefined) throw new CallbackError('WEBHOOK_BODY_UNAVAILABLE');
  const result = await verifyStandardWebhook({
    secret: settings.signingSecrets,
    id,
    timestamp,
    signature,
    body: request.rawBody,
    toleranceSeconds: settings.webhookToleranceSeconds,
    now,
  });
  if (!result.ok) throw new CallbackError(result.code, result.message);
}

function finish(
  request: CallbackRequest,
  settings: VerifySettings,
  query: QueryParams,
  signedTime: number | undefined,
): VerifiedCallback {
  const contentType = query.get('contenttype');
  if (contentType !== undefined && contentType.toLowerCase() !== 'json') {
    throw new CallbackError('CONTENT_TYPE_UNSUPPORTED', `contenttype is ${contentType}, not json`);
  }
  const command = query.get('CallbackCommand');
  if (!command) throw new CallbackError('COMMAND_MISSING');
  checkBodySize(request, settings.maxBodyBytes);
  const payload = parseBody(request);
  if (payload.CallbackCommand !== command) {
    const inBody = typeof payload.CallbackCommand === 'string' ? payload.CallbackCommand : 'missing';
    throw new CallbackError('COMMAND_MISMATCH', `CallbackCommand is ${command} in the URL but ${inBody} in the body`);
  }
  const problem = checkPayload(command, payload);
  if (problem) throw new CallbackError('PAYLOAD_INVALID', `${command}: ${problem}`);
  let requestTime = signedTime;
  if (requestTime === undefined) {
    const sent = query.get('RequestTime');
    if (sent !== undefined && /^\d{1,12}$/.test(sent)) requestTime = Number(sent);
  }
  return { command, payload, query, requestTime };
}

/**
 * Runs the receiver's checks in their documented order and throws a `CallbackError` at the first failure:
 * POST; `SdkAppid`; `Sign` + `RequestTime` (when tokens are set); body size and `webhook-signature` (when
 * signing secrets are set); `contenttype=json`; `CallbackCommand` in the URL; body size; JSON object;
 * `CallbackCommand` in the body equals the URL's; field types of known commands.
 *
 * Returns synchronously when no hashing is needed (the common case: the `Sign` of this second is cached and
 * no signing secret is set), else a promise; this path runs on every callback.
 */
export function verifyRequest(
  request: CallbackRequest,
  settings: VerifySettings,
  nowSeconds: number,
): VerifiedCallback | Promise<VerifiedCallback> {
  if (request.method.toUpperCase() !== 'POST') throw new CallbackError('METHOD_NOT_ALLOWED');
  const query = new QueryParams(request.url);
  const sdkAppId = query.get('SdkAppid');
  if (sdkAppId !== settings.sdkAppId) {
    const reason = sdkAppId === undefined ? 'SdkAppid is missing from the URL' : `SdkAppid ${sdkAppId} is not ours`;
    throw new CallbackError('SDKAPPID_MISMATCH', reason);
  }
  const checked = settings.signChecker?.check(query.get('Sign'), query.get('RequestTime'), nowSeconds);
  if (checked instanceof Promise || settings.signingSecrets.length > 0) {
    return (async () => {
      const signedTime = await checked;
      if (settings.signingSecrets.length > 0) await checkBodySignature(request, settings, nowSeconds);
      return finish(request, settings, query, signedTime);
    })();
  }
  return finish(request, settings, query, checked);
}
