import assert from 'node:assert/strict';
import { createCallbackReceiver, type CallbackReceiverOptions, type CallbackRequest } from '../src/index.ts';
import {
  beforeSendBody,
  callbackUrl,
  envelope,
  OLD_TOKEN,
  reportBody,
  SDKAPPID,
  SIGNING_SECRET,
  TOKEN,
  webhookHeaders,
} from './helpers/callback-fixtures.ts';
import { describe, it } from 'node:test';

function receiver(options: Partial<CallbackReceiverOptions> = {}) {
  return createCallbackReceiver({ sdkAppId: SDKAPPID, tokens: TOKEN, ...options });
}

async function post(
  r: ReturnType<typeof receiver>,
  url: string,
  body: unknown = reportBody(),
  extra: Partial<CallbackRequest> = {},
) {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await r.handle({ method: 'POST', url, headers: {}, rawBody, ...extra });
  const env = envelope(res.body);
  const code = /^\[([A-Z_]+)\]/.exec(env.ErrorInfo)?.[1];
  return { status: res.status, env, code, headers: res.headers };
}

describe('receiver verification, in order', () => {
  it('accepts a correctly signed C2C.CallbackAfterMsgReport and answers the Tencent envelope', async () => {
    const res = await receiver().handle({
      method: 'POST',
      url: await callbackUrl(),
      headers: { 'content-type': 'application/json' },
      rawBody: new TextEncoder().encode(JSON.stringify(reportBody())),
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  });

  it('1. refuses anything but POST with 405 and Allow: POST', async () => {
    const res = await receiver().handle({ method: 'GET', url: await callbackUrl(), headers: {} });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST');
    assert.deepEqual(envelope(res.body).ActionStatus, 'FAIL');
    assert.equal(envelope(res.body).ErrorCode, 1);
  });

  it('2. refuses another or a missing SdkAppid with 403 (checked before the Sign)', async () => {
    const r = receiver();
    const other = await post(r, await callbackUrl({ sdkAppId: 1400000001 }));
    assert.deepEqual([other.status, other.code], [403, 'SDKAPPID_MISMATCH']);
    const url = (await callbackUrl({ sign: 'bad' })).replace(/SdkAppid=\d+&/, '');
    assert.equal((await post(r, url)).code, 'SDKAPPID_MISMATCH');
  });

  it('3. with tokens: refuses a missing, malformed or tampered Sign with 401', async () => {
    const r = receiver();
    assert.equal((await post(r, await callbackUrl({ token: null }))).code, 'SIGN_MISSING');
    const tampered = await post(r, await callbackUrl({ sign: '0'.repeat(64) }));
    assert.deepEqual([tampered.status, tampered.code], [401, 'SIGN_MISMATCH']);
    assert.equal((await post(r, await callbackUrl({ token: 'wrong' }))).code, 'SIGN_MISMATCH');
    const badTime = (await callbackUrl()).replace(/RequestTime=\d+/, 'RequestTime=12a');
    assert.equal((await post(r, badTime)).code, 'REQUEST_TIME_INVALID');
  });

  it('3. accepts any configured token (rotation) and an upper-case Sign', async () => {
    const r = receiver({ tokens: [TOKEN, OLD_TOKEN] });
    assert.equal((await post(r, await callbackUrl({ token: OLD_TOKEN }))).status, 200);
    const upper = (await callbackUrl()).replace(/Sign=([0-9a-f]+)/, (_, s: string) => `Sign=${s.toUpperCase()}`);
    assert.equal((await post(r, upper)).status, 200);
  });

  it('3. refuses a correctly signed RequestTime outside the window, both directions', async () => {
    const r = receiver();
    const now = Math.floor(Date.now() / 1000);
    for (const requestTime of [now - 61, now + 61]) {
      const res = await post(r, await callbackUrl({ requestTime }));
      assert.deepEqual([res.status, res.code], [401, 'REQUEST_TIME_OUT_OF_WINDOW']);
    }
    assert.equal((await post(r, await callbackUrl({ requestTime: now - 55 }))).status, 200);
    const wide = receiver({ requestTimeWindowSeconds: 600 });
    assert.equal((await post(wide, await callbackUrl({ requestTime: now - 500 }))).status, 200);
  });

  it('3. checks the documented vector with a fixed clock', async () => {
    const r = receiver({ now: () => 1669872112_000 + 30_000 });
    const url = await callbackUrl({ requestTime: 1669872112 });
    assert.ok(url.includes('Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061'));
    assert.equal((await post(r, url)).status, 200);
  });

  it('skips Sign checks when no token is configured', async () => {
    const r = receiver({ tokens: undefined });
    assert.equal((await post(r, await callbackUrl({ token: null }))).status, 200);
  });

  it('4. with signing secrets: requires a webhook-signature over the exact body', async () => {
    const r = receiver({ signingSecrets: ['whsec_b2xkIHNlY3JldA==', SIGNING_SECRET] });
    const url = await callbackUrl();
    const body = JSON.stringify(reportBody());
    const headers = await webhookHeaders(body);
    assert.equal((await post(r, url, body, { headers })).status, 200);
    const altered = await post(r, url, body.replace('"UnreadMsgNum":7', '"UnreadMsgNum":0'), { headers });
    assert.deepEqual([altered.status, altered.code], [401, 'WEBHOOK_SIGNATURE_MISMATCH']);
    assert.equal((await post(r, url, body)).code, 'WEBHOOK_SIGNATURE_MISSING');
    const stale = await webhookHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    assert.equal((await post(r, url, body, { headers: stale })).code, 'WEBHOOK_TIMESTAMP_OUT_OF_WINDOW');
    const parsedOnly = await r.handle({ method: 'POST', url, headers, parsedBody: reportBody() });
    assert.equal(parsedOnly.status, 500);
    assert.match(envelope(parsedOnly.body).ErrorInfo, /^\[WEBHOOK_BODY_UNAVAILABLE\]/);
  });

  it('5. refuses a contenttype other than json (absent is accepted)', async () => {
    const r = receiver();
    const xml = await post(r, await callbackUrl({ contenttype: 'xml' }));
    assert.deepEqual([xml.status, xml.code], [400, 'CONTENT_TYPE_UNSUPPORTED']);
    assert.equal((await post(r, await callbackUrl({ contenttype: 'JSON' }))).status, 200);
    assert.equal((await post(r, await callbackUrl({ contenttype: null }))).status, 200);
  });

  it('6. refuses a missing CallbackCommand in the URL', async () => {
    const url = (await callbackUrl()).replace(/CallbackCommand=[^&]+&/, '');
    assert.equal((await post(receiver(), url)).code, 'COMMAND_MISSING');
  });

  it('7. refuses a body over maxBodyBytes with 413', async () => {
    const r = receiver({ maxBodyBytes: 100 });
    const big = await post(r, await callbackUrl(), reportBody({ Padding: 'x'.repeat(200) }));
    assert.deepEqual([big.status, big.code], [413, 'BODY_TOO_LARGE']);
    const flagged = await post(r, await callbackUrl(), '{}', { bodyTooLarge: true });
    assert.equal(flagged.code, 'BODY_TOO_LARGE');
  });

  it('8. refuses a body that is not a JSON object', async () => {
    const r = receiver();
    for (const body of ['{"CallbackCommand":', '[1,2]', 'null', '"text"']) {
      const res = await post(r, await callbackUrl(), body);
      assert.deepEqual([res.status, res.code], [400, 'BODY_NOT_JSON'], body);
    }
    const notUtf8 = await post(r, await callbackUrl(), '', { rawBody: new Uint8Array([0x7b, 0xff, 0x7d]) });
    assert.equal(notUtf8.code, 'BODY_NOT_JSON');
  });

  it('9. refuses a body whose CallbackCommand differs from the URL’s', async () => {
    const r = receiver();
    const res = await post(r, await callbackUrl({ command: 'C2C.CallbackAfterSendMsg' }));
    assert.deepEqual([res.status, res.code], [400, 'COMMAND_MISMATCH']);
  });

  it('10. checks field types, accepting times as numeric strings', async () => {
    const r = receiver();
    const seen: unknown[] = [];
    r.on('C2C.CallbackAfterMsgReport', (e) => void seen.push(e.LastReadTime, e.EventTime));
    const res = await post(
      r,
      await callbackUrl(),
      reportBody({ LastReadTime: '1614754606', EventTime: '1670574414123' }),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(seen, [1614754606, 1670574414123]);
    for (const bad of [
      { LastReadTime: 'soon' },
      { Report_Account: 42 },
      { Peer_Account: undefined },
      { UnreadMsgNum: 1.5 },
    ]) {
      const refused = await post(r, await callbackUrl(), reportBody(bad));
      assert.deepEqual([refused.status, refused.code], [400, 'PAYLOAD_INVALID'], JSON.stringify(bad));
    }
    const msgBody = await post(
      r,
      await callbackUrl({ command: 'C2C.CallbackBeforeSendMsg' }),
      beforeSendBody({ MsgBody: [{}] }),
    );
    assert.match(msgBody.env.ErrorInfo, /MsgBody\[0\]\.MsgType is missing/);
  });

  it('accepts the older body without EventTime and the newer one without UnreadMsgNum', async () => {
    const r = receiver();
    assert.equal((await post(r, await callbackUrl(), reportBody({ EventTime: undefined }))).status, 200);
    assert.equal((await post(r, await callbackUrl(), reportBody({ UnreadMsgNum: undefined }))).status, 200);
  });

  it('passes unknown commands through with only the generic checks', async () => {
    const r = receiver();
    const body = { CallbackCommand: 'Group.CallbackAfterNewMemberJoin', GroupId: '@TGS#2J4SZEAEL' };
    const url = await callbackUrl({ command: 'Group.CallbackAfterNewMemberJoin' });
    assert.equal((await post(r, url, body)).status, 200);
  });
});
