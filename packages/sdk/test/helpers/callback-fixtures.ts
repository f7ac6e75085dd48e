/**
 * Signed callback requests for tests: URLs as Tencent/Readwire build them, bodies from the reference.
 * @module
 */
import { signStandardWebhook, tencentCallbackSign } from '../../src/index.ts';

export const SDKAPPID = 1400000000;
export const TOKEN = 'xxxxyyyy';
export const OLD_TOKEN = 'previous-token';
export const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export interface UrlOptions {
  command?: string;
  path?: string;
  sdkAppId?: number | string;
  token?: string | null;
  requestTime?: number;
  sign?: string;
  contenttype?: string | null;
  optPlatform?: string;
  extra?: Record<string, string>;
}

/** A callback URL path with the query Tencent appends, signed with `token` unless `token: null`. */
export async function callbackUrl(options: UrlOptions = {}): Promise<string> {
  const query = new URLSearchParams();
  query.set('SdkAppid', String(options.sdkAppId ?? SDKAPPID));
  query.set('CallbackCommand', options.command ?? 'C2C.CallbackAfterMsgReport');
  if (options.contenttype !== null) query.set('contenttype', options.contenttype ?? 'json');
  query.set('ClientIP', '203.0.113.7');
  query.set('OptPlatform', options.optPlatform ?? 'RESTAPI');
  for (const [k, v] of Object.entries(options.extra ?? {})) query.set(k, v);
  if (options.token !== null) {
    const requestTime = options.requestTime ?? Math.floor(Date.now() / 1000);
    query.set('Sign', options.sign ?? (await tencentCallbackSign(options.token ?? TOKEN, requestTime)));
    query.set('RequestTime', String(requestTime));
  }
  return `${options.path ?? '/im/callback'}?${query.toString()}`;
}

/** The C2C.CallbackAfterMsgReport body of the reference (§3.2/§3.3, all fields). */
export function reportBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CallbackCommand: 'C2C.CallbackAfterMsgReport',
    Report_Account: 'jared',
    Peer_Account: 'Jonh',
    LastReadTime: 1614754606,
    UnreadMsgNum: 7,
    EventTime: 1670574414123,
    ...overrides,
  };
}

/** A C2C.CallbackBeforeSendMsg body (§6.7). */
export function beforeSendBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CallbackCommand: 'C2C.CallbackBeforeSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    OnlineOnlyFlag: 0,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
    ...overrides,
  };
}

/** Standard Webhooks headers for `body`. */
export async function webhookHeaders(
  body: string,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): Promise<Record<string, string>> {
  const id = options.id ?? 'evt_0001';
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = await signStandardWebhook({ secret: options.secret ?? SIGNING_SECRET, id, timestamp, body });
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

/** Parses a receiver answer body. */
export function envelope(
  body: string,
): { ActionStatus: string; ErrorCode: number; ErrorInfo: string } & Record<string, unknown> {
  return JSON.parse(body) as { ActionStatus: string; ErrorCode: number; ErrorInfo: string };
}
