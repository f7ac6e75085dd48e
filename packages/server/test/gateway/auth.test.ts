/**
 * Authentication: the same checks and codes as the REST API (70001 expired … 60006 unknown app), the connection closed
 * with a clear reason when the sig expires, credentials in the URL checked before the upgrade, and the login timeout.
 * @module
 */
import assert from 'node:assert/strict';
import { genUserSig } from '@readwire/sdk';
import { request } from 'node:http';
import { APP, SECRET, startFixture, type GatewayFixture } from './helpers/gateway-fixture.ts';
import { after, before, describe, it } from 'node:test';
import { RawClient } from './helpers/raw-client.ts';

let fx: GatewayFixture;
before(async () => {
  fx = await startFixture({ gateway: { loginTimeoutMs: 500 } });
});
after(() => fx.close());

/** Attempts a WebSocket upgrade that the server refuses; returns the HTTP status and body. */
function upgradeRefusal(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace('ws:', 'http:'), {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
}

async function loginCode(data: Record<string, unknown>): Promise<number> {
  const c = await RawClient.connect(fx.wsUrl);
  const r = await c.request('login', data);
  c.close();
  return r.ok ? 0 : r.error!.code;
}

/** The ErrorCode the REST API answers for the same identifier/UserSig as its admin would send them. */
async function restCode(sdkAppId: number, userSig: string): Promise<number> {
  const q = `sdkappid=${sdkAppId}&identifier=admin&usersig=${encodeURIComponent(userSig)}&random=1&contenttype=json`;
  const res = await fetch(`${fx.server.url}/v4/openim/get_c2c_unread_msg_num?${q}`, {
    method: 'POST',
    body: '{"To_Account":"admin"}',
  });
  return ((await res.json()) as { ErrorCode: number }).ErrorCode;
}

describe('login checks', () => {
  it('answers each bad credential with the REST API’s code', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sigs: [string, string][] = [
      [
        'expired',
        await genUserSig({ sdkAppId: APP, secretKey: SECRET, userId: 'admin', now: now - 100, expireSeconds: 10 }),
      ],
      ['garbled', 'not-a-usersig'],
      ['empty', ''],
      ['wrong key', await genUserSig({ sdkAppId: APP, secretKey: 'another-secret-key-000000000', userId: 'admin' })],
      ['other user', await genUserSig({ sdkAppId: APP, secretKey: SECRET, userId: 'someone-else' })],
      ['other app', await genUserSig({ sdkAppId: 1400000999, secretKey: SECRET, userId: 'admin' })],
    ];
    const expected = [70001, 70003, 70002, 70009, 70013, 70014];
    for (const [i, [label, userSig]] of sigs.entries()) {
      const ws = await loginCode({ sdkAppId: APP, userId: 'admin', userSig });
      assert.equal(ws, expected[i], label);
      assert.equal(ws, await restCode(APP, userSig), `${label}: same as REST`);
    }
    assert.equal(await loginCode({ sdkAppId: 1400000999, userId: 'admin', userSig: 'x' }), 60006);
    assert.equal(await loginCode({ userId: 'admin', userSig: 'x' }), 60025);
    assert.equal(await loginCode({ sdkAppId: APP, userSig: 'x' }), 60025);
    assert.equal(await loginCode({ sdkAppId: APP, userId: 'admin' }), 60025);
  });

  it('a failed login leaves the connection open for another attempt', async () => {
    const c = await RawClient.connect(fx.wsUrl);
    assert.equal((await c.request('login', { sdkAppId: APP, userId: 'lia', userSig: 'bad' })).error!.code, 70003);
    const ok = await c.request('login', { sdkAppId: APP, userId: 'lia', userSig: await fx.sig('lia') });
    assert.equal(ok.ok, true);
    c.close();
  });

  it('imports the account at its first login, as Tencent IM', async () => {
    const c = await fx.login('newcomer');
    const r = await fx.rest('get_c2c_unread_msg_num', { To_Account: 'newcomer' });
    assert.equal(r.ErrorCode, 0);
    c.close();
  });
});

describe('session lifetime', () => {
  it('closes the connection with 4001 and a clear reason when the UserSig expires', async () => {
    const c = await RawClient.connect(fx.wsUrl);
    const userSig = await fx.sig('max', { expireSeconds: 1 });
    await c.call('login', { sdkAppId: APP, userId: 'max', userSig });
    const { code, reason } = await c.closed;
    assert.equal(code, 4001);
    assert.match(reason, /UserSig expired \(70001\)/);
  });

  it('closes a connection that does not log in within loginTimeoutMs with 4002', async () => {
    const c = await RawClient.connect(fx.wsUrl);
    const { code, reason } = await c.closed;
    assert.equal(code, 4002);
    assert.match(reason, /login timeout/);
  });

  it('checks credentials given in the URL before upgrading: 401 with the code, or a logged-in socket', async () => {
    const bad = await upgradeRefusal(`${fx.wsUrl}?sdkappid=${APP}&userid=ned&usersig=garbage`);
    assert.equal(bad.status, 401);
    assert.equal(JSON.parse(bad.body).ErrorCode, 70003);

    const sig = await fx.sig('ned');
    const c = await RawClient.connect(`${fx.wsUrl}?sdkappid=${APP}&userid=ned&usersig=${sig}&platform=Android`);
    const login = await c.waitFor((f) => f.type === 'reply' && f.id === null);
    assert.equal(login.ok, true);
    assert.equal(login.data!.platform, 'Android');
    assert.equal((await c.request('totalUnread')).ok, true);
    c.close();
  });

  it('answers upgrades on other paths with 404', async () => {
    await assert.rejects(RawClient.connect(fx.wsUrl.replace('/v1/client', '/v1/other')), /HTTP 404/);
  });
});
