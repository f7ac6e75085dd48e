/**
 * Login failures and UserSig expiry as the client sees them: a refused login stops the client with the server's
 * Tencent code; an expiring sig given as a string stops it with 70001, one given as a function is renewed.
 * @module
 */
import assert from 'node:assert/strict';
import { genUserSig } from '@readwire/sdk';
import { ReadwireError } from '../src/index.ts';
import { after, before, describe, it } from 'node:test';
import { APP, eventually, next, startTestServer, type TestServer } from './helpers/test-server.ts';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(() => ts.close());

describe('login and UserSig expiry', () => {
  it('a sig signed with another key is refused with 70009 and the client stops', async () => {
    const userSig = await genUserSig({ sdkAppId: APP, secretKey: 'not-the-app-secret-key-000000', userId: 'ivan' });
    const client = ts.client('ivan', { userSig });
    const error = next<ReadwireError>(client, 'error');
    await assert.rejects(client.connect(), (e: unknown) => e instanceof ReadwireError && e.code === 70009);
    assert.equal((await error).code, 70009);
    assert.equal(client.state, 'closed');
    await assert.rejects(client.send('x', 'y'), (e: unknown) => e instanceof ReadwireError && e.kind === 'closed');
  });

  it('an unknown SDKAppID is refused with 60006', async () => {
    const client = ts.client('ivan', { sdkAppId: 1400009999 });
    await assert.rejects(client.connect(), (e: unknown) => e instanceof ReadwireError && e.code === 60006);
  });

  it('a string sig that expires ends the session with 70001', async () => {
    const client = ts.client('judy', { userSig: await ts.sig('judy', 2) });
    await client.connect();
    const error = await next<ReadwireError>(client, 'error', 6000);
    assert.equal(error.code, 70001);
    assert.equal(client.state, 'closed');
  });

  it('a sig renewer keeps the session going past expiry', async () => {
    let issued = 0;
    const client = ts.client('kim', {
      userSig: () => {
        issued++;
        return ts.sig('kim', issued === 1 ? 2 : 3600);
      },
    });
    const sender = ts.client('leo');
    await Promise.all([client.connect(), sender.connect()]);
    await eventually(() => issued === 2, 6000);
    await eventually(() => client.state === 'online');
    const got = next(client, 'message');
    await sender.send('kim', 'still here');
    assert.equal((await got).message.body[0].MsgContent.Text, 'still here');
  });
});
