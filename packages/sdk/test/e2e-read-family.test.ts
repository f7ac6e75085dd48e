/**
 * The read family end to end through the SDK: a real Readwire server, the SDK's typed REST client for the commands,
 * and a receiver built with the SDK whose typed handlers get the callbacks they fire.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig, startServer, type RunningServer } from '@readwire/server';
import { createCallbackReceiver, createRestClient, type CallbackPayloadMap, type RestClient } from '../src/index.ts';
import { createNodeListener } from '../src/adapters/node.ts';

const SDKAPPID = 1400000078;
const SECRET_KEY = 'read-family-secret-key-0123456789';
const TOKEN = 'read-family-token';
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

let server: RunningServer;
let im: RestClient;
let http: Server;
let dir = '';
const got: { [C in keyof CallbackPayloadMap]?: CallbackPayloadMap[C][] } = {};

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(async () => {
  const receiver = createCallbackReceiver({ sdkAppId: SDKAPPID, tokens: TOKEN })
    .on('C2C.CallbackAfterMsgReadReceipt', (e) => void (got['C2C.CallbackAfterMsgReadReceipt'] ??= []).push(e))
    .on('C2C.CallbackAfterModifyMsg', (e) => void (got['C2C.CallbackAfterModifyMsg'] ??= []).push(e));
  http = createServer(createNodeListener(receiver, { path: '/cb' }));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'readwire-sdk-read-'));
  server = await startServer(
    parseConfig({
      port: 0,
      logLevel: 'silent',
      allowPrivateCallbackUrls: true,
      storage: { sqlite: { path: join(dir, 'readwire.db') } },
      apps: [
        {
          sdkAppId: SDKAPPID,
          secretKey: SECRET_KEY,
          restRateLimit: 0,
          callback: {
            url: `http://127.0.0.1:${port}/cb`,
            token: TOKEN,
            commands: ['C2C.CallbackAfterMsgReadReceipt', 'C2C.CallbackAfterModifyMsg'],
          },
        },
      ],
    }),
  );
  im = createRestClient({ baseUrl: server.url, sdkAppId: SDKAPPID, secretKey: SECRET_KEY });
  await im.multiaccountImport({ Accounts: ['jared', 'Jonh'] });
});

after(async () => {
  await server.close();
  await new Promise((r) => http.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('read family through the SDK', () => {
  it('c2cMsgReadReceipt fires C2C.CallbackAfterMsgReadReceipt to the typed handler; IsPeerRead becomes 1', async () => {
    const sent = await im.sendMsg({ From_Account: 'Jonh', To_Account: 'jared', MsgBody: text('hi') });
    await im.c2cMsgReadReceipt({
      Operator_Account: 'jared',
      Peer_Account: 'Jonh',
      C2CMsgInfo: [{ From_Account: 'Jonh', To_Account: 'jared', MsgKey: sent.MsgKey }],
    });
    const e = await until(() => got['C2C.CallbackAfterMsgReadReceipt']?.[0], 'the receipt callback');
    assert.equal(e.Operator_Account, 'jared');
    assert.equal(e.Peer_Account, 'Jonh');
    assert.deepEqual(e.C2CMsgInfo, [
      { From_Account: 'Jonh', To_Account: 'jared', MsgKey: sent.MsgKey, MsgId: sent.MsgId },
    ]);
    assert.equal(typeof e.EventTime, 'number');
    const roam = await im.adminGetRoamMsg({
      Operator_Account: 'Jonh',
      Peer_Account: 'jared',
      MaxCnt: 10,
      MinTime: 0,
      MaxTime: 4294967295,
    });
    assert.equal(roam.MsgList[0]!.IsPeerRead, 1);
  });

  it('importMsg keeps the time; modifyC2cMsg fires C2C.CallbackAfterModifyMsg to the typed handler', async () => {
    await im.importMsg({
      SyncFromOldSystem: 2,
      From_Account: 'jared',
      To_Account: 'Jonh',
      MsgSeq: 1,
      MsgRandom: 2,
      MsgTimeStamp: 1556178721,
      MsgBody: text('old'),
    });
    const roam = await im.adminGetRoamMsg({
      Operator_Account: 'Jonh',
      Peer_Account: 'jared',
      MaxCnt: 10,
      MinTime: 0,
      MaxTime: 1556178721,
    });
    const imported = roam.MsgList[0]!;
    assert.equal(imported.MsgTimeStamp, 1556178721);
    await im.modifyC2cMsg({ From_Account: 'jared', To_Account: 'Jonh', MsgKey: imported.MsgKey, MsgBody: text('new') });
    const e = await until(() => got['C2C.CallbackAfterModifyMsg']?.[0], 'the modify callback');
    assert.equal(e.MsgKey, imported.MsgKey);
    assert.equal(e.MsgTime, 1556178721);
    assert.deepEqual(e.MsgBody, text('new'));
    assert.equal(e.Operator_Account, 'administrator');
  });

  it('deleteRecentContact takes the conversation off getRecentContactList; ClearRamble 1 clears the roaming', async () => {
    await im.sendMsg({ From_Account: 'jared', To_Account: 'Jonh', MsgBody: text('hi') });
    const page = {
      From_Account: 'Jonh',
      TimeStamp: 0,
      StartIndex: 0,
      TopTimeStamp: 0,
      TopStartIndex: 0,
      AssistFlags: 7,
    };
    assert.deepEqual(
      (await im.getRecentContactList(page)).SessionItem.map((s) => s.To_Account),
      ['jared'],
    );
    const r = await im.deleteRecentContact({ From_Account: 'Jonh', Type: 1, To_Account: 'jared', ClearRamble: 1 });
    assert.equal(r.ErrorCode, 0);
    assert.deepEqual((await im.getRecentContactList(page)).SessionItem, []);
    const roam = (viewer: string, peer: string) =>
      im.adminGetRoamMsg({ Operator_Account: viewer, Peer_Account: peer, MaxCnt: 10, MinTime: 0, MaxTime: 4294967295 });
    assert.equal((await roam('Jonh', 'jared')).MsgList.length, 0);
    assert.ok((await roam('jared', 'Jonh')).MsgList.length > 0, 'the peer keeps its roaming messages');
  });
});
