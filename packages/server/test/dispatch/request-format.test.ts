/**
 * The exact request Readwire sends: Tencent's query (configured query kept, SdkAppid, CallbackCommand, contenttype,
 * ClientIP, OptPlatform, Sign/RequestTime with a token), body (field order, EventTime in ms), Content-Type, and
 * Readwire's additions (X-Readwire-Event-Id, X-Readwire-Attempt, Standard Webhooks headers).
 */
import { verifyStandardWebhook } from '@readwire/sdk';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { APP_A, report, startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
import { ok, startReceiver, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

const TOKEN = 'xxxxyyyy';
const SECRET = `whsec_${Buffer.from('a 32-byte secret for the tests!!').toString('base64')}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function text(t: string) {
  return [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
}

describe('callback request format', () => {
  let receiver: Receiver;
  let s: DispatchServer;
  let random = 1000;
  const send = (from: string, to: string, t: string) =>
    s.call('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text(t) });

  before(async () => {
    receiver = await startReceiver(ok());
    s = await startDispatchServer({
      callbackA: {
        url: `${receiver.url}/im/callback?existing=1&x=y%20z`,
        commands: ['C2C.CallbackAfterMsgReport', 'C2C.CallbackAfterSendMsg', 'C2C.CallbackAfterMsgWithDraw'],
        token: TOKEN,
        signingSecret: SECRET,
      },
      callbackB: { url: `${receiver.url}/b` },
    });
    await s.accounts(['alice', 'bob', 'carol']);
    await s.accounts(['dora', 'emil'], 1400000102);
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it('sends C2C.CallbackAfterMsgReport with Tencent’s query, Sign and body, plus event id and signature headers', async () => {
    assert.equal((await send('bob', 'alice', 'one')).ErrorCode, 0);
    assert.equal((await send('carol', 'alice', 'two')).ErrorCode, 0);
    const before = Date.now();
    assert.equal((await report(s, 'alice', 'bob')).ErrorCode, 0);
    await waitFor(() => receiver.of('C2C.CallbackAfterMsgReport').length === 1, 'the read callback');
    const r = receiver.of('C2C.CallbackAfterMsgReport')[0]!;

    assert.equal(r.path, '/im/callback');
    assert.deepEqual(
      [...r.query.keys()],
      ['existing', 'x', 'SdkAppid', 'CallbackCommand', 'contenttype', 'ClientIP', 'OptPlatform', 'Sign', 'RequestTime'],
    );
    assert.equal(r.query.get('existing'), '1');
    assert.equal(r.query.get('x'), 'y z');
    assert.equal(r.query.get('SdkAppid'), String(APP_A));
    assert.equal(r.query.get('contenttype'), 'json');
    assert.equal(r.query.get('ClientIP'), '127.0.0.1');
    assert.equal(r.query.get('OptPlatform'), 'RESTAPI');
    const requestTime = Number(r.query.get('RequestTime'));
    assert.ok(Math.abs(requestTime - Date.now() / 1000) < 30, 'RequestTime is now, in seconds');
    const expectedSign = createHash('sha256').update(`${TOKEN}${requestTime}`).digest('hex');
    assert.equal(r.query.get('Sign'), expectedSign);

    assert.equal(r.headers['content-type'], 'application/json');
    const eventId = r.headers['x-readwire-event-id'] as string;
    assert.match(eventId, UUID);
    assert.equal(r.headers['x-readwire-attempt'], '1');
    assert.equal(r.headers['webhook-id'], eventId);
    const verified = await verifyStandardWebhook({
      secret: SECRET,
      id: r.headers['webhook-id'],
      timestamp: r.headers['webhook-timestamp'] as string,
      signature: r.headers['webhook-signature'] as string,
      body: r.body,
    });
    assert.deepEqual(verified.ok, true);

    assert.deepEqual(Object.keys(r.json), [
      'CallbackCommand',
      'Report_Account',
      'Peer_Account',
      'LastReadTime',
      'UnreadMsgNum',
      'EventTime',
    ]);
    assert.equal(r.json.CallbackCommand, 'C2C.CallbackAfterMsgReport');
    assert.equal(r.json.Report_Account, 'alice');
    assert.equal(r.json.Peer_Account, 'bob');
    assert.equal(r.json.UnreadMsgNum, 1, 'carol’s message is still unread');
    assert.ok(Math.abs(r.json.LastReadTime - Date.now() / 1000) < 30, 'LastReadTime in seconds');
    assert.ok(r.json.EventTime >= before - 1000 && r.json.EventTime <= Date.now(), 'EventTime in milliseconds');
  });

  it('sends C2C.CallbackAfterSendMsg with the recipient’s unread count, and C2C.CallbackAfterMsgWithDraw', async () => {
    const sent = await send('bob', 'carol', 'hello carol');
    assert.equal(sent.ErrorCode, 0);
    await waitFor(
      () => receiver.of('C2C.CallbackAfterSendMsg').some((r) => r.json.To_Account === 'carol'),
      'the send callback',
    );
    const cb = receiver.of('C2C.CallbackAfterSendMsg').find((r) => r.json.To_Account === 'carol')!;
    assert.equal(cb.json.From_Account, 'bob');
    assert.equal(cb.json.MsgKey, sent.MsgKey);
    assert.equal(cb.json.UnreadMsgNum, 1);
    assert.deepEqual(cb.json.MsgBody, text('hello carol'));
    assert.equal(cb.query.get('CallbackCommand'), 'C2C.CallbackAfterSendMsg');

    const w = await s.call('openim/admin_msgwithdraw', {
      From_Account: 'bob',
      To_Account: 'carol',
      MsgKey: sent.MsgKey,
    });
    assert.equal(w.ErrorCode, 0);
    await waitFor(() => receiver.of('C2C.CallbackAfterMsgWithDraw').length === 1, 'the recall callback');
    const wd = receiver.of('C2C.CallbackAfterMsgWithDraw')[0]!;
    assert.deepEqual(wd.json, {
      CallbackCommand: 'C2C.CallbackAfterMsgWithDraw',
      From_Account: 'bob',
      To_Account: 'carol',
      MsgKey: sent.MsgKey,
      UnreadMsgNum: 0,
      EventTime: wd.json.EventTime,
    });

    // A second recall succeeds and changes nothing, so it reports nothing: a later event of the same ordering key
    // (bob) arrives, and still only one recall callback did.
    const again = await s.call('openim/admin_msgwithdraw', {
      From_Account: 'bob',
      To_Account: 'carol',
      MsgKey: sent.MsgKey,
    });
    assert.equal(again.ErrorCode, 0);
    const marker = await send('bob', 'alice', 'after the second recall');
    await waitFor(
      () => receiver.of('C2C.CallbackAfterSendMsg').some((r) => r.json.MsgKey === marker.MsgKey),
      'the later send callback of bob',
    );
    assert.equal(receiver.of('C2C.CallbackAfterMsgWithDraw').length, 1);
  });

  it('sends nothing for batchsendmsg, nor for commands the app did not enable', async () => {
    const countBefore = receiver.received.length;
    const b = await s.call('openim/batchsendmsg', {
      From_Account: 'bob',
      To_Account: ['alice', 'carol'],
      MsgRandom: random++,
      MsgBody: text('batch'),
    });
    assert.equal(b.ErrorCode, 0);
    // App B enables only the read callback: a send there is silent, its read report is not.
    const sb = await s.call(
      'openim/sendmsg',
      { From_Account: 'dora', To_Account: 'emil', MsgRandom: random++, MsgBody: text('b') },
      1400000102,
    );
    assert.equal(sb.ErrorCode, 0);
    assert.equal((await report(s, 'emil', 'dora', undefined, 1400000102)).ErrorCode, 0);
    await waitFor(() => receiver.received.some((r) => r.path === '/b'), 'app B’s read callback');
    const since = receiver.received.slice(countBefore);
    assert.deepEqual(
      since.map((r) => `${r.path} ${r.query.get('CallbackCommand')}`),
      ['/b C2C.CallbackAfterMsgReport'],
    );
    const bReq = since[0]!;
    assert.equal(bReq.query.get('Sign'), null, 'no token: no Sign');
    assert.equal(bReq.query.get('RequestTime'), null);
    assert.equal(bReq.headers['webhook-signature'], undefined, 'no signing secret: no webhook headers');
    assert.match(bReq.headers['x-readwire-event-id'] as string, UUID);
  });
});
