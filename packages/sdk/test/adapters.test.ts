import assert from 'node:assert/strict';
import {
  createCallbackReceiver,
  refuseMessage,
  type CallbackContext,
  type CallbackReceiverOptions,
} from '../src/index.ts';
import { ADAPTER_TARGETS, type AdapterTarget } from './helpers/adapter-servers.ts';
import {
  beforeSendBody,
  callbackUrl,
  envelope,
  reportBody,
  SDKAPPID,
  SIGNING_SECRET,
  TOKEN,
  webhookHeaders,
} from './helpers/callback-fixtures.ts';
import { after, before, describe, it } from 'node:test';

const PATH = '/im/callback';
const MAX_BODY_BYTES = 2048;

interface Received {
  event: unknown;
  ctx: CallbackContext;
}

async function startTarget(target: AdapterTarget, options: Partial<CallbackReceiverOptions> = {}) {
  const received: Received[] = [];
  const receiver = createCallbackReceiver({
    sdkAppId: SDKAPPID,
    tokens: TOKEN,
    maxBodyBytes: MAX_BODY_BYTES,
    ...options,
  })
    .on('C2C.CallbackAfterMsgReport', (event, ctx) => void received.push({ event, ctx }))
    .on('C2C.CallbackBeforeSendMsg', (event) =>
      event.From_Account === 'spammer' ? refuseMessage('slow down', 120001) : undefined,
    )
    .on('C2C.CallbackAfterMsgWithDraw', () => {
      throw new Error('boom');
    });
  const server = await target.start(receiver, PATH);
  return { received, server };
}

async function call(origin: string, url: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(origin + url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: method === 'GET' ? undefined : text,
  });
  const raw = await res.text();
  let env: ReturnType<typeof envelope> | undefined;
  try {
    env = envelope(raw);
  } catch {
    env = undefined;
  }
  return { status: res.status, env, code: env && /^\[([A-Z_]+)\]/.exec(env.ErrorInfo)?.[1], headers: res.headers };
}

for (const target of ADAPTER_TARGETS) {
  describe(`adapter: ${target.name}`, () => {
    let origin = '';
    let received: Received[] = [];
    let close = async () => {};
    before(async () => {
      const started = await startTarget(target);
      origin = started.server.origin;
      received = started.received;
      close = () => started.server.close();
    });
    after(() => close());

    it('README example: a signed C2C.CallbackAfterMsgReport reaches the typed handler', async () => {
      const url = await callbackUrl({ path: PATH, optPlatform: 'IOS' });
      const res = await call(origin, url, reportBody(), { 'x-readwire-event-id': 'evt_7', 'x-readwire-attempt': '1' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.env, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const last = received.at(-1)!;
      assert.deepEqual(last.event, reportBody());
      assert.equal(last.ctx.optPlatform, 'iOS');
      assert.equal(last.ctx.eventId, 'evt_7');
      assert.equal(last.ctx.attempt, 1);
      assert.equal(last.ctx.clientIp, '203.0.113.7');
    });

    it('refuses a tampered Sign, a stale RequestTime and a wrong SdkAppid', async () => {
      const tampered = await call(origin, await callbackUrl({ path: PATH, sign: 'f'.repeat(64) }), reportBody());
      assert.deepEqual([tampered.status, tampered.code], [401, 'SIGN_MISMATCH']);
      const stale = await call(
        origin,
        await callbackUrl({ path: PATH, requestTime: Math.floor(Date.now() / 1000) - 120 }),
        reportBody(),
      );
      assert.deepEqual([stale.status, stale.code], [401, 'REQUEST_TIME_OUT_OF_WINDOW']);
      const other = await call(origin, await callbackUrl({ path: PATH, sdkAppId: 1400000999 }), reportBody());
      assert.deepEqual([other.status, other.code], [403, 'SDKAPPID_MISMATCH']);
    });

    it('answers 405 to GET', async () => {
      const res = await call(origin, await callbackUrl({ path: PATH }), undefined, {}, 'GET');
      assert.deepEqual([res.status, res.code], [405, 'METHOD_NOT_ALLOWED']);
      assert.equal(res.headers.get('allow'), 'POST');
    });

    it('answers 413 to a body over maxBodyBytes', async () => {
      const res = await call(
        origin,
        await callbackUrl({ path: PATH }),
        reportBody({ Padding: 'x'.repeat(4 * MAX_BODY_BYTES) }),
      );
      assert.equal(res.status, 413);
    });

    it('answers 400 to invalid JSON and to a command mismatch', async () => {
      const mismatch = await call(
        origin,
        await callbackUrl({ path: PATH, command: 'C2C.CallbackAfterSendMsg' }),
        reportBody(),
      );
      assert.deepEqual([mismatch.status, mismatch.code], [400, 'COMMAND_MISMATCH']);
      const invalid = await call(origin, await callbackUrl({ path: PATH }), '{"CallbackCommand":');
      assert.equal(invalid.status, 400); // after express.json() the parser itself refuses it
      if (target.rawBody) assert.equal(invalid.code, 'BODY_NOT_JSON');
    });

    it('passes a before-callback reply through', async () => {
      const url = await callbackUrl({ path: PATH, command: 'C2C.CallbackBeforeSendMsg' });
      const res = await call(origin, url, beforeSendBody({ From_Account: 'spammer' }));
      assert.deepEqual(res.env, { ActionStatus: 'OK', ErrorCode: 120001, ErrorInfo: 'slow down' });
    });

    it('answers 500 when a handler throws', async () => {
      const url = await callbackUrl({ path: PATH, command: 'C2C.CallbackAfterMsgWithDraw' });
      const body = {
        CallbackCommand: 'C2C.CallbackAfterMsgWithDraw',
        From_Account: 'a',
        To_Account: 'b',
        MsgKey: 'k',
        UnreadMsgNum: 0,
      };
      const res = await call(origin, url, body);
      assert.deepEqual([res.status, res.code], [500, 'HANDLER_FAILED']);
    });

    it('with a signing secret: accepts the signed body, refuses an altered one', async () => {
      const signed = await startTarget(target, { signingSecrets: SIGNING_SECRET });
      try {
        const url = await callbackUrl({ path: PATH });
        const body = JSON.stringify(reportBody());
        const headers = await webhookHeaders(body);
        const ok = await call(signed.server.origin, url, body, headers);
        const altered = await call(
          signed.server.origin,
          url,
          body.replace('"Peer_Account":"Jonh"', '"Peer_Account":"Eve"'),
          headers,
        );
        if (target.rawBody) {
          assert.equal(ok.status, 200);
          assert.deepEqual([altered.status, altered.code], [401, 'WEBHOOK_SIGNATURE_MISMATCH']);
        } else {
          assert.deepEqual([ok.status, ok.code], [500, 'WEBHOOK_BODY_UNAVAILABLE']);
          assert.deepEqual([altered.status, altered.code], [500, 'WEBHOOK_BODY_UNAVAILABLE']);
        }
        assert.equal(signed.received.length, target.rawBody ? 1 : 0);
      } finally {
        await signed.server.close();
      }
    });
  });
}
