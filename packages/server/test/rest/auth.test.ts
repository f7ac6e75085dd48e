import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP2_ID, APP2_KEY, APP_ID, APP_KEY, startTestServer, type TestServer } from '../helpers/start-test-server.ts';
import { tencentUserSig } from '../helpers/tencent-sig.ts';

describe('REST authentication (UserSig made by tls-sig-api-v2)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  const body = { CheckItem: [{ UserID: 'administrator' }] };
  const check = (query: Record<string, string>) => t.call('im_open_login_svc/account_check', body, { query });

  it('accepts a sig from Tencent’s generator', async () => {
    const r = await check({});
    assert.equal(r.ActionStatus, 'OK');
    assert.equal(r.ResultItem[0].AccountStatus, 'Imported');
  });

  it('60025 without sdkappid, identifier or usersig; 70002 for an empty usersig', async () => {
    const base = `${t.url}/v4/im_open_login_svc/account_check`;
    for (const q of [
      'identifier=administrator&usersig=x',
      'sdkappid=1400000001&usersig=x',
      'sdkappid=1400000001&identifier=administrator',
    ]) {
      const r = (await (await fetch(`${base}?${q}`, { method: 'POST', body: '{}' })).json()) as { ErrorCode: number };
      assert.equal(r.ErrorCode, 60025, q);
    }
    assert.equal((await check({ usersig: '' })).ErrorCode, 70002);
  });

  it('60006 for an unknown SDKAppID', async () => {
    assert.equal((await check({ sdkappid: '1499999999' })).ErrorCode, 60006);
  });

  it('70003 for a garbled sig, 70009 for another key, 70013/70014 for mismatches', async () => {
    assert.equal((await check({ usersig: 'not-a-sig' })).ErrorCode, 70003);
    assert.equal((await check({ usersig: tencentUserSig(APP_ID, APP2_KEY, 'administrator') })).ErrorCode, 70009);
    assert.equal((await check({ usersig: tencentUserSig(APP_ID, APP_KEY, 'someone') })).ErrorCode, 70013);
    assert.equal((await check({ usersig: tencentUserSig(APP2_ID, APP2_KEY, 'administrator') })).ErrorCode, 70014);
  });

  it('60010 when the identifier is not the app admin', async () => {
    const r = await check({ identifier: 'alice', usersig: tencentUserSig(APP_ID, APP_KEY, 'alice') });
    assert.equal(r.ErrorCode, 60010);
  });

  it('70001 for an expired sig, also after it was cached while valid', async () => {
    assert.equal((await check({ usersig: tencentUserSig(APP_ID, APP_KEY, 'administrator', -1) })).ErrorCode, 70001);
    const shortSig = tencentUserSig(APP_ID, APP_KEY, 'administrator', 1);
    assert.equal((await check({ usersig: shortSig })).ErrorCode, 0);
    await sleep(2200);
    assert.equal((await check({ usersig: shortSig })).ErrorCode, 70001);
  });

  it('60025 for a contenttype other than json', async () => {
    assert.equal((await check({ contenttype: 'xml' })).ErrorCode, 60025);
  });
});
