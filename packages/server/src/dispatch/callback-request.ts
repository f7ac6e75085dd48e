import { signStandardWebhook, tencentCallbackSign } from '@readwire/sdk';
import type { CallbackConfig } from '../config/config-schema.ts';

/** What a callback request is built from. */
export interface RequestEvent {
  eventId: string;
  command: string;
  /** Exact JSON body. */
  body: string;
  clientIp: string;
  optPlatform: string;
  /** 1-based attempt number. */
  attempt: number;
}

/** A ready-to-send callback request. */
export interface CallbackRequest {
  /** `scheme://host:port` (the endpoint). */
  origin: string;
  /** Path and query string. */
  path: string;
  /** `origin + path`, as recorded with the attempt. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface Target {
  config: CallbackConfig;
  sdkAppId: number;
  origin: string;
  /** `/path?<configured query>&SdkAppid=N&CallbackCommand=` */
  prefix: string;
}

const targets = new WeakMap<CallbackConfig, Target>();
const signs = new Map<string, { requestTime: number; sign: Promise<string> }>();
/** Most tokens whose current `Sign` is cached. */
const SIGN_CACHE_MAX = 256;

function targetOf(config: CallbackConfig, sdkAppId: number): Target {
  let t = targets.get(config);
  if (t?.sdkAppId !== sdkAppId) {
    const u = new URL(config.url);
    const query = u.search.length > 1 ? `${u.search}&` : '?';
    t = { config, sdkAppId, origin: u.origin, prefix: `${u.pathname}${query}SdkAppid=${sdkAppId}&CallbackCommand=` };
    targets.set(config, t);
  }
  return t;
}

/** `sha256(token + RequestTime)`, computed once per token and second (it only depends on those two). */
function signFor(token: string, requestTime: number): Promise<string> {
  let s = signs.get(token);
  if (s?.requestTime !== requestTime) {
    if (signs.size >= SIGN_CACHE_MAX) signs.clear();
    s = { requestTime, sign: tencentCallbackSign(token, requestTime) };
    signs.set(token, s);
  }
  return s.sign;
}

/**
 * Builds the POST Tencent sends, plus Readwire's headers. The configured URL keeps its query string; then come
 * `SdkAppid`, `CallbackCommand`, `contenttype=json`, `ClientIP`, `OptPlatform` and, with a `token`, `Sign` and
 * `RequestTime` (Unix seconds; `Sign = sha256(token + RequestTime)` in lower-case hex, as in Tencent's docs).
 * Headers: `Content-Type: application/json`, `X-Readwire-Event-Id` (stable across attempts), `X-Readwire-Attempt`,
 * and with a `signingSecret` the Standard Webhooks `webhook-id` (the event id), `webhook-timestamp` and
 * `webhook-signature` (v1 HMAC-SHA256 over `id.timestamp.body`). The signers are the SDK's, so the SDK's receiver
 * verifies exactly what the server signs. Returns the request itself when there is nothing to sign (no promise to
 * await on the per-callback path), else a promise of it.
 */
export function buildCallbackRequest(
  config: CallbackConfig,
  sdkAppId: number,
  event: RequestEvent,
  nowMs: number,
): CallbackRequest | Promise<CallbackRequest> {
  const t = targetOf(config, sdkAppId);
  const path = `${t.prefix}${encodeURIComponent(event.command)}&contenttype=json&ClientIP=${encodeURIComponent(
    event.clientIp,
  )}&OptPlatform=${encodeURIComponent(event.optPlatform)}`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Readwire-Event-Id': event.eventId,
    'X-Readwire-Attempt': String(event.attempt),
  };
  // Without a token or a signing secret there is nothing to await: the request is ready now.
  if (config.token === undefined && config.signingSecret === undefined) {
    return { origin: t.origin, path, url: t.origin + path, headers, body: event.body };
  }
  return signed(config, t.origin, path, headers, event, Math.floor(nowMs / 1000));
}

/** Adds Tencent's `Sign`/`RequestTime` (with a token) and the Standard Webhooks headers (with a signing secret). */
async function signed(
  config: CallbackConfig,
  origin: string,
  unsignedPath: string,
  headers: Record<string, string>,
  event: RequestEvent,
  requestTime: number,
): Promise<CallbackRequest> {
  let path = unsignedPath;
  if (config.token !== undefined) {
    path += `&Sign=${await signFor(config.token, requestTime)}&RequestTime=${requestTime}`;
  }
  if (config.signingSecret !== undefined) {
    headers['webhook-id'] = event.eventId;
    headers['webhook-timestamp'] = String(requestTime);
    headers['webhook-signature'] = await signStandardWebhook({
      secret: config.signingSecret,
      id: event.eventId,
      timestamp: requestTime,
      body: event.body,
    });
  }
  return { origin, path, url: origin + path, headers, body: event.body };
}
