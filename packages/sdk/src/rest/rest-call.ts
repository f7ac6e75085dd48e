import type { RestErrorCode } from '../errors/error-catalog.ts';
import { RestError } from './rest-error.ts';
import type { ResolvedRestOptions } from './rest-client-options.ts';
import type { RestResponse } from './rest-types.ts';

/** Per-call options. */
export interface RestCallOptions {
  /** Aborts the call (in addition to the timeout). */
  signal?: AbortSignal;
}

/** Tencent's "UserSig expired" code: a generated UserSig is renewed once and the call retried. */
const USERSIG_EXPIRED = 70001;

function random32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

async function post(options: ResolvedRestOptions, endpoint: string, body: string, signal?: AbortSignal) {
  const query = new URLSearchParams({
    sdkappid: String(options.sdkAppId),
    identifier: options.identifier,
    usersig: await options.userSig.get(),
    random: String(random32()),
    contenttype: 'json',
  });
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const fail = (code: RestErrorCode, message: string, extra: object = {}) =>
    new RestError(code, message, { endpoint, ...extra });
  let res: Response;
  let text: string;
  try {
    res = await options.fetch(`${options.baseUrl}/v4/${endpoint}?${query.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = await res.text();
  } catch (cause) {
    if (timeout.aborted) throw fail('REST_TIMEOUT', `no answer within ${options.timeoutMs} ms`, { cause });
    throw fail('REST_NETWORK', cause instanceof Error ? cause.message : 'request failed', { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const envelope = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  if (res.status !== 200) {
    throw fail('REST_HTTP_STATUS', `HTTP ${res.status}`, { httpStatus: res.status, response: envelope });
  }
  if (!envelope || (envelope.ActionStatus !== 'OK' && envelope.ActionStatus !== 'FAIL')) {
    throw fail('REST_BAD_RESPONSE', 'answer is not a JSON envelope with ActionStatus', { httpStatus: 200 });
  }
  return envelope;
}

/**
 * POSTs one REST command and returns its answer; throws {@link RestError} for `ActionStatus: "FAIL"` and for
 * transport failures. A generated UserSig that the API reports expired (70001) is renewed and the call retried once.
 */
export async function restCall<T>(
  options: ResolvedRestOptions,
  service: string,
  command: string,
  body: object,
  callOptions: RestCallOptions = {},
): Promise<RestResponse<T>> {
  const endpoint = `${service}/${command}`;
  const json = JSON.stringify(body);
  let envelope = await post(options, endpoint, json, callOptions.signal);
  if (envelope.ActionStatus === 'FAIL' && envelope.ErrorCode === USERSIG_EXPIRED && options.userSig.invalidate()) {
    envelope = await post(options, endpoint, json, callOptions.signal);
  }
  if (envelope.ActionStatus === 'FAIL') {
    const ErrorCode = typeof envelope.ErrorCode === 'number' ? envelope.ErrorCode : undefined;
    const ErrorInfo = typeof envelope.ErrorInfo === 'string' ? envelope.ErrorInfo : '';
    throw new RestError('REST_FAILED', `ErrorCode ${ErrorCode} ${ErrorInfo}`, {
      endpoint,
      ErrorCode,
      ErrorInfo,
      httpStatus: 200,
      response: envelope,
    });
  }
  return envelope as RestResponse<T>;
}

/** Fills `MsgRandom` with a random 32-bit number when a message request lacks it. */
export function withMsgRandom<T extends { MsgRandom?: number }>(body: T): T & { MsgRandom: number } {
  return { ...body, MsgRandom: body.MsgRandom ?? random32() };
}
