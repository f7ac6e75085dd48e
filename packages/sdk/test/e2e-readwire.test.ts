/**
 * End to end: a real Readwire server delivers callbacks to a receiver built with the SDK, behind every adapter,
 * through a proxy that can tamper with them. Correct callbacks reach the typed handlers; a forged Sign, a replayed
 * RequestTime, another SdkAppid and an altered body (with a signing secret) are refused, and Readwire records the
 * refusal. The REST calls go through the SDK's REST client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, startServer, type RunningServer } from '@readwire/server';
import {
  createCallbackReceiver,
  createRestClient,
  refuseMessage,
  RestError,
  type AnyCallbackPayload,
  type CallbackContext,
  type RestClient,
} from '../src/index.ts';
import { ADAPTER_TARGETS } from './helpers/adapter-servers.ts';
import { after, before, describe, it } from 'node:test';
import { startTamperProxy, type TamperMode } from './helpers/tamper-proxy.ts';

const SDKAPPID = 1400000077;
const SECRET_KEY = 'e2e-secret-key-0123456789abcdef';
const TOKEN = 'e2e-callback-token';
const SIGNING_SECRET = 'whsec_ZTJlLXNpZ25pbmctc2VjcmV0LWJ5dGVz';
const PATH = '/im/callback';
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 8000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let server: RunningServer;
let im: RestClient;
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'readwire-sdk-e2e-'));
  server = await startServer(
    parseConfig({
      port: 0,
      logLevel: 'silent',
      allowPrivateCallbackUrls: true,
      storage: { sqlite: { path: join(dir, 'readwire.db') } },
      apps: [{ sdkAppId: SDKAPPID, secretKey: SECRET_KEY, restRateLimit: 0 }],
    }),
  );
  im = createRestClient({ baseUrl: server.url, sdkAppId: SDKAPPID, secretKey: SECRET_KEY });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

ADAPTER_TARGETS.forEach((target, index) => {
  describe(`Readwire → ${target.name}`, () => {
    const received: { event: AnyCallbackPayload; ctx: CallbackContext }[] = [];
    const alice = `alice_${index}`;
    const bob = `bob_${index}`;
    const signed = target.rawBody; // after express.json() the body signature cannot be checked
    let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
    let closeReceiver = () => Promise.resolve();

    before(async () => {
      const receiver = createCallbackReceiver({
        sdkAppId: SDKAPPID,
        tokens: TOKEN,
        signingSecrets: signed ? SIGNING_SECRET : undefined,
      })
        .onAny((event, ctx) => void received.push({ event, ctx }))
        .on('C2C.CallbackBeforeSendMsg', (e) => {
          const first = e.MsgBody[0]?.MsgContent.Text;
          return first === 'forbidden' ? refuseMessage('not here', 120042) : undefined;
        });
      const running = await target.start(receiver, PATH);
      closeReceiver = () => running.close();
      proxy = await startTamperProxy(running.origin, TOKEN);
      await im.setCallbackConfig({
        Callback: {
          url: `${proxy.origin}${PATH}?tenant=${index}`,
          commands: [
            'C2C.CallbackBeforeSendMsg',
            'C2C.CallbackAfterSendMsg',
            'C2C.CallbackAfterMsgReport',
            'C2C.CallbackAfterMsgWithDraw',
          ],
          token: TOKEN,
          signingSecret: signed ? SIGNING_SECRET : undefined,
          retry: 'none',
        },
      });
      await im.multiaccountImport({ AccountList: [{ UserID: alice }, { UserID: bob }] });
    });

    after(async () => {
      await proxy.close();
      await closeReceiver();
    });

    const next = (command: string, from: number) =>
      until(() => received.slice(from).find((r) => r.ctx.command === command), command);

    it('delivers send, read-report and recall callbacks to the typed handlers', async () => {
      const start = received.length;
      const sent = await im.sendMsg({ From_Account: alice, To_Account: bob, MsgBody: text('hello') });
      const beforeSend = await next('C2C.CallbackBeforeSendMsg', start);
      assert.equal((beforeSend.event as { From_Account: string }).From_Account, alice);
      const afterSend = await next('C2C.CallbackAfterSendMsg', start);
      assert.equal((afterSend.event as { MsgKey: string }).MsgKey, sent.MsgKey);
      assert.equal((afterSend.event as { UnreadMsgNum: number }).UnreadMsgNum, 1);

      await im.adminSetMsgRead({ Report_Account: bob, Peer_Account: alice });
      const report = await next('C2C.CallbackAfterMsgReport', start);
      const e = report.event as {
        Report_Account: string;
        Peer_Account: string;
        UnreadMsgNum: number;
        LastReadTime: number;
      };
      assert.deepEqual([e.Report_Account, e.Peer_Account, e.UnreadMsgNum], [bob, alice, 0]);
      assert.ok(e.LastReadTime >= sent.MsgTime);
      const { ctx } = report;
      assert.equal(ctx.sdkAppId, SDKAPPID);
      assert.equal(ctx.optPlatform, 'RESTAPI');
      assert.equal(ctx.attempt, 1);
      assert.match(ctx.eventId ?? '', /.+/);
      assert.ok(Math.abs((ctx.requestTime ?? 0) - Date.now() / 1000) < 5);
      assert.ok(ctx.clientIp);

      await im.adminMsgWithdraw({ From_Account: alice, To_Account: bob, MsgKey: sent.MsgKey });
      const recall = await next('C2C.CallbackAfterMsgWithDraw', start);
      assert.equal((recall.event as { MsgKey: string }).MsgKey, sent.MsgKey);
    });

    it('passes a before-send refusal with a custom code to the sender', async () => {
      const error = await im
        .sendMsg({ From_Account: alice, To_Account: bob, MsgBody: text('forbidden') })
        .catch((x: unknown) => x);
      assert.ok(error instanceof RestError, String(error));
      assert.equal(error.ErrorCode, 120042);
    });

    const refusals: [TamperMode, number, string][] = [
      ['sign', 401, 'SIGN_MISMATCH'],
      ['stale', 401, 'REQUEST_TIME_OUT_OF_WINDOW'],
      ['appid', 403, 'SDKAPPID_MISMATCH'],
      ...(signed ? [['body', 401, 'WEBHOOK_SIGNATURE_MISMATCH'] as [TamperMode, number, string]] : []),
    ];
    for (const [mode, status, code] of refusals) {
      it(`refuses a callback with ${mode === 'body' ? 'an altered body' : `a tampered ${mode}`} (${code}), and Readwire records it`, async () => {
        const { Attempts: seen } = await im.listCallbackAttempts({ Limit: 1 });
        const lastId = seen[0]?.AttemptId ?? 0;
        const start = received.length;
        proxy.mode = mode;
        try {
          await im.adminSetMsgRead({ Report_Account: alice, Peer_Account: bob });
          const attempt = await until(async () => {
            const { Attempts } = await im.listCallbackAttempts({ Command: 'C2C.CallbackAfterMsgReport', Limit: 1 });
            const a = Attempts[0];
            return a && a.AttemptId > lastId ? a : undefined;
          }, 'the refused attempt');
          assert.equal(attempt.HttpStatus, status);
          assert.equal(attempt.Outcome, 'dead');
          assert.equal(attempt.ErrorCode, 1);
          assert.match(attempt.ErrorInfo ?? '', new RegExp(`^\\[${code}\\]`));
          assert.equal(received.slice(start).length, 0, 'the handler must not run');
        } finally {
          proxy.mode = 'none';
        }
      });
    }
  });
});
