/**
 * A client's login and logout reach an app backend built on `@readwire/sdk` as typed `State.StateChange` events (with
 * `IOS` as the OptPlatform of this callback), and the SDK's REST client reads the online state and kicks the user.
 * @module
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createCallbackReceiver, createRestClient, type CallbackContext, type StateChangePayload } from '@readwire/sdk';
import { createNodeListener } from '@readwire/sdk/node';
import { APP, SECRET, eventually, startTestServer, type TestServer } from './helpers/test-server.ts';

let ts: TestServer;
let backend: Server;
const seen: { event: StateChangePayload; ctx: CallbackContext<'State.StateChange'> }[] = [];

before(async () => {
  const receiver = createCallbackReceiver({ sdkAppId: APP }).on('State.StateChange', (event, ctx) => {
    seen.push({ event, ctx });
  });
  backend = createServer(createNodeListener(receiver));
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as { port: number }).port;
  ts = await startTestServer({ callbackUrl: `http://127.0.0.1:${port}/cb`, callbackCommands: ['State.StateChange'] });
});
after(async () => {
  await ts.close();
  await new Promise((r) => backend.close(r));
});

describe('State.StateChange and online state', () => {
  it('reports login and the kick’s logout; the REST client sees the user online, then offline', async () => {
    const im = createRestClient({ baseUrl: ts.server.url, sdkAppId: APP, secretKey: SECRET, identifier: 'admin' });
    const phone = ts.client('pat', { platform: 'iOS' });
    phone.on('error', () => undefined);
    await phone.connect();
    const login = await eventually(() => seen.find((s) => s.event.Info.Action === 'Login'));
    assert.equal(login.event.Info.To_Account, 'pat');
    assert.equal(login.event.Info.Reason, 'Register');
    assert.equal(login.ctx.optPlatform, 'iOS', 'the SDK normalises IOS');
    const online = await im.queryOnlineStatus({ To_Account: ['pat'], IsNeedDetail: 1 });
    assert.deepEqual(online.QueryResult, [
      { To_Account: 'pat', Status: 'Online', Detail: [{ Platform: 'iPhone', Status: 'Online' }] },
    ]);
    await im.kick({ UserID: 'pat' });
    const logout = await eventually(() => seen.find((s) => s.event.Info.Action === 'Logout'));
    assert.equal(logout.event.Info.Reason, 'Unregister');
    await eventually(
      async () => (await im.queryOnlineStatus({ To_Account: ['pat'] })).QueryResult[0]?.Status === 'Offline',
    );
    await phone.close();
  });
});
