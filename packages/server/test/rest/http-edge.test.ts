/**
 * The REST API's node:http edge (`rest/v4-http-handler.ts`): what it reads from the URL, the body and the socket,
 * and what it leaves to Fastify. Real server, real sockets.
 * @module
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { parseQuery } from '../../src/rest/parse-query.ts';
import { startReceiver, type CallbackReceiver } from '../gateway/helpers/callback-receiver.ts';
import { APP_ID, APP_KEY, startTestServer, type Reply, type TestServer } from '../helpers/start-test-server.ts';
import { tencentUserSig } from '../helpers/tencent-sig.ts';

/** POSTs `chunks` to `path` as a chunked body (no Content-Length) and returns the HTTP status and parsed answer. */
function postChunked(url: string, path: string, chunks: string[]): Promise<{ status: number; reply: Reply }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reply: JSON.parse(text) as Reply }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('parseQuery', () => {
  it('decodes + and percent-escapes, keeps repeated names in order and malformed escapes as sent', () => {
    const q = parseQuery('identifier=%61dmin+istrator&usersig=a&usersig=b&flag&bad=%E0%A4%A&=x&&__proto__=1');
    assert.equal(q.identifier, 'admin istrator');
    assert.deepEqual(q.usersig, ['a', 'b']);
    assert.equal(q.flag, '');
    assert.equal(q.bad, '%E0%A4%A');
    assert.equal(q[''], 'x');
    assert.equal(q.__proto__, '1');
    assert.equal(Object.getPrototypeOf(q), null);
    assert.equal(Object.keys(parseQuery('')).length, 0);
  });
});

describe('REST node:http edge', () => {
  let t: TestServer;
  let receiver: CallbackReceiver;
  const query = () =>
    new URLSearchParams({
      sdkappid: String(APP_ID),
      identifier: 'administrator',
      usersig: tencentUserSig(APP_ID, APP_KEY, 'administrator'),
      contenttype: 'json',
    }).toString();

  before(async () => {
    receiver = await startReceiver();
    t = await startTestServer({
      bodyLimitBytes: 4096,
      trustedProxies: ['loopback'],
      allowPrivateCallbackUrls: true,
      apps: [
        {
          sdkAppId: APP_ID,
          secretKey: APP_KEY,
          restRateLimit: 0,
          callback: { url: receiver.url, commands: ['C2C.CallbackAfterMsgReport'] },
        },
      ],
    });
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['ann', 'bob'] });
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  it('answers 93000 to a chunked body that outgrows the limit, and keeps serving', async () => {
    const chunk = JSON.stringify({ pad: 'x'.repeat(1500) });
    const { status, reply } = await postChunked(t.url, `/v4/openim/sendmsg?${query()}`, [chunk, chunk, chunk, chunk]);
    assert.equal(status, 200);
    assert.equal(reply.ErrorCode, 93000);
    const small = await postChunked(t.url, `/v4/openim/get_c2c_unread_msg_num?${query()}`, [
      '{"To_Acc',
      'ount":"ann"}',
    ]);
    assert.equal(small.reply.ErrorCode, 0);
    assert.equal(small.reply.AllC2CUnreadMsgNum, 0);
  });

  it('reads percent-escaped query values, and takes the first of a repeated one', async () => {
    const sig = tencentUserSig(APP_ID, APP_KEY, 'administrator');
    const q = `sdkappid=${APP_ID}&identifier=%61dministrator&usersig=${encodeURIComponent(sig)}&usersig=garbage`;
    const res = await fetch(`${t.url}/v4/openim/get_c2c_unread_msg_num?${q}&contenttype=json`, {
      method: 'POST',
      body: JSON.stringify({ To_Account: 'ann' }),
    });
    assert.equal(((await res.json()) as Reply).ErrorCode, 0);
  });

  it('gives a percent-escaped path to Fastify with the same answer, and 60009 to a path with more segments', async () => {
    const body = JSON.stringify({ To_Account: 'ann' });
    const escaped = await fetch(`${t.url}/v4/openim/get%5Fc2c%5Funread%5Fmsg%5Fnum?${query()}`, {
      method: 'POST',
      body,
    });
    const reply = (await escaped.json()) as Reply;
    assert.equal(reply.ErrorCode, 0);
    assert.equal(reply.AllC2CUnreadMsgNum, 0);
    const deeper = await fetch(`${t.url}/v4/openim/get_c2c_unread_msg_num/x?${query()}`, { method: 'POST', body });
    assert.equal(((await deeper.json()) as Reply).ErrorCode, 60009);
  });

  it('reports the X-Forwarded-For client of a trusted proxy as the callback ClientIP', async () => {
    const res = await fetch(`${t.url}/v4/openim/admin_set_msg_read?${query()}`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.9, 203.0.113.7' },
      body: JSON.stringify({ Report_Account: 'ann', Peer_Account: 'bob' }),
    });
    assert.equal(((await res.json()) as Reply).ErrorCode, 0);
    const callback = await receiver.next('C2C.CallbackAfterMsgReport', (c) => c.body.Report_Account === 'ann');
    assert.equal(callback.query.get('ClientIP'), '203.0.113.7');
    assert.equal(callback.query.get('OptPlatform'), 'RESTAPI');
  });
});
