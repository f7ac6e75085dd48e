// Shared values of the SDK receiver benchmark: fixed bench secrets and a realistic signed read-report request.
import { createHash, createHmac } from 'node:crypto';

export const BENCH_SDKAPPID = 1400000001;
export const BENCH_TOKEN = 'readwire-bench-callback-token';
export const BENCH_SIGNING_SECRET = 'whsec_cmVhZHdpcmUtYmVuY2gtc2lnbmluZy1zZWNyZXQ=';
export const OCTOKIT_SECRET = 'readwire-bench-octokit-secret';
export const BENCH_PATH = '/im/callback';

/** A C2C.CallbackAfterMsgReport body as Readwire sends it (§3.2 + UnreadMsgNum). */
export const BENCH_BODY = JSON.stringify({
  CallbackCommand: 'C2C.CallbackAfterMsgReport',
  Report_Account: 'user_000123',
  Peer_Account: 'user_004567',
  LastReadTime: 1767225600,
  UnreadMsgNum: 7,
  EventTime: 1767225600123,
});

/** One request: path with query, and headers. */
export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
}

const COMMON = { 'content-type': 'application/json', 'x-readwire-attempt': '1' };

/** Tencent-signed URL for this second (Sign = sha256(token + RequestTime)), as the dispatcher builds it. */
function signedPath(second: number): string {
  const sign = createHash('sha256').update(`${BENCH_TOKEN}${second}`).digest('hex');
  return (
    `${BENCH_PATH}?SdkAppid=${BENCH_SDKAPPID}&CallbackCommand=C2C.CallbackAfterMsgReport&contenttype=json` +
    `&ClientIP=203.0.113.7&OptPlatform=RESTAPI&Sign=${sign}&RequestTime=${second}`
  );
}

/** Builds the request of each variant for a given second (the driver caches it for that second). */
export function benchRequest(variant: string, second: number, seq: number): BenchRequest {
  const eventId = `evt_${second}_${seq}`;
  const headers: Record<string, string> = { ...COMMON, 'x-readwire-event-id': eventId };
  if (variant === 'bare') return { path: signedPath(second), headers };
  if (variant === 'octokit') {
    const signature = `sha256=${createHmac('sha256', OCTOKIT_SECRET).update(BENCH_BODY).digest('hex')}`;
    Object.assign(headers, {
      'x-github-event': 'ping',
      'x-github-delivery': eventId,
      'x-hub-signature-256': signature,
    });
    return { path: BENCH_PATH, headers };
  }
  if (variant === 'sdk-body-signed') {
    const key = Buffer.from(BENCH_SIGNING_SECRET.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${eventId}.${second}.${BENCH_BODY}`).digest('base64');
    Object.assign(headers, {
      'webhook-id': eventId,
      'webhook-timestamp': String(second),
      'webhook-signature': `v1,${mac}`,
    });
  }
  return { path: signedPath(second), headers };
}
