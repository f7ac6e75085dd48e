/**
 * `C2C.CallbackBeforeSendMsg`, synchronous with Tencent's semantics: ErrorCode 0 allows (optionally replacing MsgBody
 * and CloudCustomData), 1 refuses (20006), 2 drops silently, 120001–130000 reach the sender; a timeout, an error or a
 * garbled answer lets the message through; ForbidBeforeSendMsgCallback skips it.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
import { garbage, startReceiver, status, type Received, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

const REPLACED = [{ MsgType: 'TIMTextElem', MsgContent: { Text: '[filtered]' } }];

function answer(res: ServerResponse, body: Record<string, unknown>): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ...body }));
}

/** The backend's decision, by the message text. */
function decide(r: Received, res: ServerResponse): void {
  if (r.query.get('CallbackCommand') !== 'C2C.CallbackBeforeSendMsg') return answer(res, { ErrorCode: 0 });
  const text = r.json.MsgBody[0].MsgContent.Text as string;
  switch (text) {
    case 'refuse':
      return answer(res, { ErrorCode: 1, ErrorInfo: 'no' });
    case 'drop':
      return answer(res, { ErrorCode: 2 });
    case 'custom':
      return answer(res, { ErrorCode: 120123, ErrorInfo: 'blocked by policy 7' });
    case 'replace':
      return answer(res, { ErrorCode: 0, MsgBody: REPLACED, CloudCustomData: 'rewritten' });
    case 'slow':
      return void setTimeout(() => answer(res, { ErrorCode: 1 }), 1500);
    case 'garbage':
      return garbage(r, res);
    case 'error':
      return status(500)(r, res);
    default:
      return answer(res, { ErrorCode: 0 });
  }
}

describe('C2C.CallbackBeforeSendMsg', () => {
  let receiver: Receiver;
  let s: DispatchServer;
  let random = 1;
  const send = (text: string, extra: Record<string, unknown> = {}) =>
    s.call('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgRandom: random++,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
      CloudCustomData: 'original',
      ...extra,
    });
  const stored = async () => {
    const r = await s.call('openim/admin_getroammsg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MaxCnt: 100,
      MinTime: 0,
      MaxTime: 4_000_000_000,
    });
    return (r.MsgList as { MsgBody: { MsgContent: { Text: string } }[]; CloudCustomData: string }[]).map((m) => ({
      text: m.MsgBody[0]!.MsgContent.Text,
      ccd: m.CloudCustomData,
    }));
  };
  const befores = () => receiver.of('C2C.CallbackBeforeSendMsg');

  before(async () => {
    receiver = await startReceiver(decide);
    s = await startDispatchServer({
      callbackA: {
        url: `${receiver.url}/cb`,
        commands: ['C2C.CallbackBeforeSendMsg', 'C2C.CallbackAfterSendMsg'],
        timeoutMs: 500,
        token: 'tok',
      },
    });
    await s.accounts(['alice', 'bob']);
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it('asks before storing, with the message, Tencent’s query and Sign', async () => {
    const r = await send('hello');
    assert.equal(r.ErrorCode, 0);
    const b = befores()[0]!;
    assert.equal(b.query.get('CallbackCommand'), 'C2C.CallbackBeforeSendMsg');
    assert.equal(b.query.get('OptPlatform'), 'RESTAPI');
    assert.match(b.query.get('Sign')!, /^[0-9a-f]{64}$/);
    assert.equal(b.json.From_Account, 'alice');
    assert.equal(b.json.To_Account, 'bob');
    assert.deepEqual(b.json.MsgBody, [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }]);
    assert.equal(b.json.CloudCustomData, 'original');
    assert.equal(typeof b.json.MsgTime, 'number');
    assert.equal(typeof b.json.EventTime, 'number');
    assert.deepEqual(await stored(), [{ text: 'hello', ccd: 'original' }]);
  });

  it('refuses with 20006, drops silently, or passes a custom code to the sender', async () => {
    const refused = await send('refuse');
    assert.equal(refused.ErrorCode, 20006);
    const dropped = await send('drop');
    assert.equal(dropped.ErrorCode, 0, 'the sender sees success');
    const custom = await send('custom');
    assert.equal(custom.ErrorCode, 120123);
    assert.equal(custom.ErrorInfo, 'blocked by policy 7');
    assert.deepEqual(await stored(), [{ text: 'hello', ccd: 'original' }], 'none of them was stored');
  });

  it('stores the replacement body and CloudCustomData, and reports it in C2C.CallbackAfterSendMsg', async () => {
    assert.equal((await send('replace')).ErrorCode, 0);
    assert.deepEqual((await stored())[0], { text: '[filtered]', ccd: 'rewritten' });
    await waitFor(
      () => receiver.of('C2C.CallbackAfterSendMsg').some((r) => r.json.CloudCustomData === 'rewritten'),
      'the after-send callback of the replaced message',
    );
    const afterSend = receiver.of('C2C.CallbackAfterSendMsg').find((r) => r.json.CloudCustomData === 'rewritten')!;
    assert.deepEqual(afterSend.json.MsgBody, REPLACED);
  });

  it('sends the message when the callback times out, fails or answers garbage', async () => {
    for (const text of ['slow', 'error', 'garbage']) assert.equal((await send(text)).ErrorCode, 0, text);
    const texts = (await stored()).map((m) => m.text);
    for (const text of ['slow', 'error', 'garbage']) assert.ok(texts.includes(text), text);
  });

  it('is skipped for ForbidBeforeSendMsgCallback', async () => {
    const count = befores().length;
    assert.equal((await send('refuse', { ForbidCallbackControl: ['ForbidBeforeSendMsgCallback'] })).ErrorCode, 0);
    assert.equal(befores().length, count);
    assert.equal((await stored())[0]!.text, 'refuse');
  });
});
