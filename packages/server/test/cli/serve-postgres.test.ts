/**
 * `readwire serve --config FILE` on PostgreSQL: it runs (REST writes land in the configured schema), and a start that
 * cannot reach the database exits 1 with one line naming host, port, database and the cause — no stack trace.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { genUserSig } from '@readwire/sdk';
import { spawnCli, STARTED } from '../helpers/spawn-cli.ts';
import { dropSchema, freshSchemaName, PG_TEST_URL } from '../helpers/pg-test-db.ts';

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const APP = 1400000001;

describe('readwire serve on PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-cli-pg-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function configFile(name: string, postgres: Record<string, unknown>): string {
    const file = join(dir, name);
    const config = { port: 0, storage: { postgres }, apps: [{ sdkAppId: APP, secretKey: SECRET, restRateLimit: 0 }] };
    writeFileSync(file, JSON.stringify(config));
    return file;
  }

  it('serves REST on the configured schema, and stops cleanly', async () => {
    const schema = freshSchemaName();
    const p = spawnCli(['serve', '--config', configFile('ok.json', { url: PG_TEST_URL, schema, poolSize: 3 })], dir);
    try {
      const [, url] = await p.waitFor(STARTED);
      assert.match(p.output(), new RegExp(`"database":"127\\.0\\.0\\.1:5432/test, schema ${schema}"`));
      const sig = await genUserSig({ sdkAppId: APP, secretKey: SECRET, userId: 'administrator' });
      const call = async (path: string, body: unknown) => {
        const q = `sdkappid=${APP}&identifier=administrator&usersig=${sig}&random=1&contenttype=json`;
        const res = await fetch(`${url}/v4/${path}?${q}`, { method: 'POST', body: JSON.stringify(body) });
        return (await res.json()) as { ErrorCode: number; AllC2CUnreadMsgNum?: number };
      };
      assert.equal((await call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] })).ErrorCode, 0);
      const send = await call('openim/sendmsg', {
        From_Account: 'alice',
        To_Account: 'bob',
        MsgRandom: 1,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
      });
      assert.equal(send.ErrorCode, 0);
      const unread = await call('openim/get_c2c_unread_msg_num', { To_Account: 'bob' });
      assert.equal(unread.AllC2CUnreadMsgNum, 1);
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
    } finally {
      p.child.kill('SIGKILL');
      await dropSchema(schema);
    }
  });

  const failures: [string, Record<string, unknown>, RegExp][] = [
    [
      'a refused connection',
      { url: 'postgres://postgres@127.0.0.1:1/test' },
      /PostgreSQL at 127\.0\.0\.1:1, database "test", user "postgres": .*ECONNREFUSED/,
    ],
    [
      'unknown credentials',
      { url: 'postgres://no_such_role_rw:secret@127.0.0.1:5432/test' },
      /PostgreSQL at 127\.0\.0\.1:5432, database "test", user "no_such_role_rw": .*role "no_such_role_rw" does not exist/,
    ],
    [
      'a missing database',
      { url: 'postgres://postgres@127.0.0.1:5432/no_such_db_rw' },
      /PostgreSQL at 127\.0\.0\.1:5432, database "no_such_db_rw".*does not exist/,
    ],
    ['a URL that does not parse', { url: 'postgres://[bad' }, /storage\.postgres\.url is not a valid PostgreSQL URL/],
  ];
  for (const [what, postgres, message] of failures) {
    it(`${what} at start: exit 1, where and why, no stack trace`, async () => {
      const p = spawnCli(['serve', '--config', configFile(`bad-${what.length}.json`, postgres)], dir);
      assert.equal(await p.exited, 1);
      assert.match(p.output(), message);
      assert.doesNotMatch(p.output(), /^\s+at /m, 'no stack trace');
    });
  }
});
