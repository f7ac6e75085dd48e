/**
 * An edit through REST `modify_c2c_msg` reaches both parties' `@readwire/client`s as `modify`, live and after a
 * reconnect, with the message as it is after the edit.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReadwireClient } from '../src/index.ts';
import { next, startTestServer, type TestServer } from './helpers/test-server.ts';

let ts: TestServer;
let liz: ReadwireClient, max: ReadwireClient;

before(async () => {
  ts = await startTestServer();
  liz = ts.client('liz');
  max = ts.client('max');
  await Promise.all([liz.connect(), max.connect()]);
});
after(() => ts.close());

describe('modify', () => {
  it('reaches both parties live and a device that comes back', async () => {
    const sent = await liz.send('max', 'tpyo');
    const edit = () =>
      ts.rest('modify_c2c_msg', {
        From_Account: 'liz',
        To_Account: 'max',
        MsgKey: sent.message!.msgKey,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'typo' } }],
      });
    const onLiz = next(liz, 'modify');
    const onMax = next(max, 'modify');
    assert.equal((await edit()).ErrorCode, 0);
    for (const e of await Promise.all([onLiz, onMax])) {
      assert.equal(e.message.msgKey, sent.message!.msgKey);
      assert.equal(e.message.body[0].MsgContent.Text, 'typo');
    }
    const cursor = max.cursor;
    await max.close();
    await ts.rest('modify_c2c_msg', {
      From_Account: 'liz',
      To_Account: 'max',
      MsgKey: sent.message!.msgKey,
      CloudCustomData: 'v2',
    });
    const back = ts.client('max', { cursor });
    const replayed = next(back, 'modify');
    await back.connect();
    assert.equal((await replayed).message.cloudCustomData, 'v2');
  });
});
