/**
 * The REST edge takes the UserSig from `Authorization: UserSig <usersig>` when the query has none — on the node:http
 * edge and on the Fastify route that answers odd paths — a query usersig wins, and no usersig ever reaches a log
 * line, even at trace level and on failures that log.
 */
import assert from 'node:assert/strict';
import { genUserSig } from '@readwire/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig, startServer, type RunningServer } from '../../src/index.ts';
import { releaseStorage, storageFor } from '../helpers/pg-test-db.ts';

const APP = 1400000301;
const KEY = 'usersig-header-test-key-0123456789abcdef';

describe('UserSig in the Authorization header', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-sighdr-'));
  const lines: string[] = [];
  let server: RunningServer;
  let sig: string;
  let wrongKeySig: string;
  const post = async (path: string, headers: Record<string, string>, query = '') => {
    const q = `sdkappid=${APP}&identifier=administrator&random=5&contenttype=json${query}`;
    const res = await fetch(`${server.url}/v4/${path}?${q}`, {
      method: 'POST',
      headers,
      body: '{"To_Account":"administrator"}',
    });
    return (await res.json()) as { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
  };

  before(async () => {
    server = await startServer(
      parseConfig({
        port: 0,
        logLevel: 'trace',
        storage: storageFor(dir),
        apps: [{ sdkAppId: APP, secretKey: KEY, restRateLimit: 0 }],
      }),
      undefined,
      { logStream: { write: (line) => lines.push(line) } },
    );
    sig = await genUserSig({ sdkAppId: APP, secretKey: KEY, userId: 'administrator' });
    wrongKeySig = await genUserSig({
      sdkAppId: APP,
      secretKey: 'some-other-key-0123456789abcdef',
      userId: 'administrator',
    });
  });
  after(async () => {
    await server.close();
    await releaseStorage(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is accepted on the node:http edge and on the Fastify route for escaped paths', async () => {
    const fast = await post('openim/get_c2c_unread_msg_num', { authorization: `UserSig ${sig}` });
    assert.equal(fast.ErrorCode, 0, JSON.stringify(fast));
    const escaped = await post('openim/get%5Fc2c_unread_msg_num', { authorization: `usersig  ${sig}` });
    assert.equal(escaped.ErrorCode, 0, JSON.stringify(escaped));
  });

  it('is not looked at when the query has a usersig, nor under another scheme', async () => {
    const queryWins = await post(
      'openim/get_c2c_unread_msg_num',
      { authorization: `UserSig ${sig}` },
      `&usersig=${encodeURIComponent(wrongKeySig)}`,
    );
    assert.equal(queryWins.ErrorCode, 70009);
    const bearer = await post('openim/get_c2c_unread_msg_num', { authorization: `Bearer ${sig}` });
    assert.equal(bearer.ErrorCode, 60025);
    const none = await post('openim/get_c2c_unread_msg_num', {});
    assert.equal(none.ErrorCode, 60025);
  });

  it('never lands in a log line', async () => {
    // A wrong-key UserSig logs a hint; an unknown command and a bad body go through Fastify.
    assert.equal(
      (await post('openim/get_c2c_unread_msg_num', { authorization: `UserSig ${wrongKeySig}` })).ErrorCode,
      70009,
    );
    assert.equal((await post('openim/no_such_command', { authorization: `UserSig ${sig}` })).ErrorCode, 60009);
    await fetch(`${server.url}/v4/openim/%67et?sdkappid=${APP}`, { headers: { authorization: `UserSig ${sig}` } });
    assert.ok(lines.length > 0, 'the server logged something');
    assert.ok(
      lines.some((l) => l.includes('70009') || l.toLowerCase().includes('key')),
      'the wrong-key hint was logged',
    );
    for (const line of lines) {
      assert.ok(!line.includes(sig) && !line.includes(wrongKeySig), `usersig in a log line: ${line.slice(0, 200)}`);
    }
  });
});
