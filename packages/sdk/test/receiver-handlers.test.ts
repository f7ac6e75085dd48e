/** Handlers, context and replies of the receiver, without a network. */
import assert from 'node:assert/strict';
import { dropMessage, refuseMessage, replaceMessage, SdkOptionsError, type CallbackContext } from '../src/index.ts';
import { beforeSendBody, envelope, reportBody, SDKAPPID } from './helpers/callback-fixtures.ts';
import { describe, it } from 'node:test';
import { receiver, send } from './helpers/receiver-harness.ts';

describe('receiver handlers', () => {
  it('gives handlers the typed payload and the context', async () => {
    const r = receiver({ now: () => 1700000000_000 });
    let got: { event: unknown; ctx: CallbackContext } | undefined;
    r.on('C2C.CallbackAfterMsgReport', (event, ctx) => {
      got = { event, ctx };
    });
    const headers = { 'X-Readwire-Event-Id': 'evt_42', 'x-readwire-attempt': '3' };
    const res = await send(r, reportBody(), headers, { optPlatform: 'macOS', requestTime: 1700000000 - 5 });
    assert.equal(res.status, 200, res.body);
    assert.ok(got);
    assert.deepEqual(got.event, reportBody());
    const { request, ...ctx } = got.ctx;
    assert.deepEqual(ctx, {
      command: 'C2C.CallbackAfterMsgReport',
      sdkAppId: SDKAPPID,
      clientIp: '203.0.113.7',
      optPlatform: 'Mac',
      rawOptPlatform: 'macOS',
      requestTime: 1700000000 - 5,
      eventId: 'evt_42',
      attempt: 3,
    });
    assert.equal(request.method, 'POST');
  });

  it('runs handlers in order: every handler of the command, then onAny', async () => {
    const r = receiver();
    const order: string[] = [];
    r.on('C2C.CallbackAfterMsgReport', () => void order.push('first'))
      .on('C2C.CallbackAfterMsgReport', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push('second');
      })
      .on('C2C.CallbackAfterSendMsg', () => void order.push('other'))
      .onAny((_e, ctx) => void order.push(`any:${ctx.command}`));
    await send(r, reportBody());
    assert.deepEqual(order, ['first', 'second', 'any:C2C.CallbackAfterMsgReport']);
  });

  it('answers 500 HANDLER_FAILED when a handler throws, and logs it', async () => {
    const logged: unknown[][] = [];
    const r = receiver({ logger: { error: (...args: unknown[]) => void logged.push(args) } });
    r.on('C2C.CallbackAfterMsgReport', () => {
      throw new RangeError('database down');
    });
    const res = await send(r, reportBody());
    assert.equal(res.status, 500);
    assert.deepEqual(envelope(res.body), {
      ActionStatus: 'FAIL',
      ErrorCode: 1,
      ErrorInfo: '[HANDLER_FAILED] the C2C.CallbackAfterMsgReport handler threw (RangeError)',
    });
    assert.equal(logged.length, 1);
  });

  it('logs nothing by default, refusals as warn when a logger is injected', async () => {
    const warnings: unknown[] = [];
    const r = receiver({
      logger: { warn: (m: string, d?: Record<string, unknown>) => void warnings.push([m, d?.code]) },
    });
    await r.handle({ method: 'PUT', url: '/', headers: {} });
    assert.deepEqual(warnings, [['callback refused', 'METHOD_NOT_ALLOWED']]);
  });

  it('answers 200 OK when no handler is registered', async () => {
    assert.equal((await send(receiver(), reportBody())).status, 200);
  });
});

describe('C2C.CallbackBeforeSendMsg replies', () => {
  async function reply(decide: () => unknown) {
    const r = receiver();
    r.on('C2C.CallbackBeforeSendMsg', decide as () => undefined);
    const res = await send(r, beforeSendBody());
    return { status: res.status, body: envelope(res.body) };
  }

  it('allows by default', async () => {
    assert.deepEqual((await reply(() => undefined)).body, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
  });

  it('refuses (1), drops (2) and refuses with a custom code', async () => {
    assert.equal((await reply(() => refuseMessage('no'))).body.ErrorCode, 1);
    assert.equal((await reply(() => dropMessage())).body.ErrorCode, 2);
    const custom = await reply(() => refuseMessage('Sending too frequently', 120001));
    assert.deepEqual(custom.body, { ActionStatus: 'OK', ErrorCode: 120001, ErrorInfo: 'Sending too frequently' });
    assert.throws(() => refuseMessage('x', 130001), SdkOptionsError);
    assert.throws(() => refuseMessage('x', 120000), SdkOptionsError);
  });

  it('replaces MsgBody and CloudCustomData', async () => {
    const MsgBody = [{ MsgType: 'TIMTextElem', MsgContent: { Text: '***' } }];
    const res = await reply(() => replaceMessage({ MsgBody, CloudCustomData: 'checked' }));
    assert.deepEqual(res.body, {
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      MsgBody,
      CloudCustomData: 'checked',
    });
  });

  it('accepts raw Tencent fields from async handlers, and the first reply wins', async () => {
    const r = receiver();
    let secondRan = false;
    r.on('C2C.CallbackBeforeSendMsg', async () => Promise.resolve({ ErrorCode: 2 as const }));
    r.on('C2C.CallbackBeforeSendMsg', () => {
      secondRan = true;
    });
    assert.equal(envelope((await send(r, beforeSendBody())).body).ErrorCode, 2);
    assert.equal(secondRan, false);
  });

  it('treats an ErrorCode Tencent does not understand as a handler failure', async () => {
    const res = await reply(() => ({ ErrorCode: 7, ErrorInfo: 'x' }));
    assert.equal(res.status, 500);
  });

  it('ignores values returned by after-callback handlers', async () => {
    const r = receiver();
    r.on('C2C.CallbackAfterMsgReport', (e) => e.UnreadMsgNum);
    assert.equal((await send(r, reportBody())).body, '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
  });

  it('lets handlers of unknown commands reply with Tencent fields', async () => {
    const r = receiver();
    r.on('Group.CallbackBeforeSendMsg', (e) => ({ ErrorCode: 1, ErrorInfo: `no ${String(e.GroupId)}` }));
    const res = await send(r, { CallbackCommand: 'Group.CallbackBeforeSendMsg', GroupId: '@TGS#1' });
    assert.deepEqual(envelope(res.body), { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'no @TGS#1' });
  });
});
