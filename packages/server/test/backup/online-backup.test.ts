import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { freshSchemaName, dropSchema, PG_TEST_URL } from '../helpers/pg-test-db.ts';
import { APP_ID, APP_KEY, msg, startTestServer, type TestServer } from '../helpers/start-test-server.ts';
import { tencentUserSig } from '../helpers/tencent-sig.ts';

/** Messages written before the backup (about 1 KB of text each). */
const MESSAGES = 3000;
const TEXT = 'x'.repeat(1000);

describe('readwire_admin/backup (online SQLite backup)', () => {
  let t: TestServer;
  let backupPath = '';
  let ackedBefore = 0;
  let ackedAfter = 0;
  const dir = mkdtempSync(join(tmpdir(), 'readwire-backup-'));

  before(async () => {
    t = await startTestServer({ storage: { sqlite: { path: join(dir, 'data', 'readwire.db') } } });
    await t.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
    for (let i = 0; i < MESSAGES; i += 100) {
      const batch = Array.from({ length: 100 }, (_, j) =>
        t.call('openim/sendmsg', msg('alice', 'bob', `${i + j} ${TEXT}`)),
      );
      for (const r of await Promise.all(batch)) assert.equal(r.ErrorCode, 0);
    }
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a consistent database into <data folder>/backups while writes continue', async () => {
    ackedBefore = MESSAGES;
    let writing = true;
    let written = 0;
    // Four writers keep sending while the backup runs.
    const writers = Array.from({ length: 4 }, async () => {
      while (writing) {
        const r = await t.call('openim/sendmsg', msg('bob', 'alice', `during ${written}`));
        assert.equal(r.ErrorCode, 0);
        written++;
      }
    });
    const r = await t.call('readwire_admin/backup', {});
    writing = false;
    await Promise.all(writers);
    ackedAfter = MESSAGES + written;
    assert.equal(r.ErrorCode, 0, r.ErrorInfo);
    backupPath = r.BackupPath as string;
    assert.equal(dirname(backupPath), join(dir, 'data', 'backups'));
    assert.match(backupPath, /readwire-\d{8}T\d{9}Z\.sqlite$/);
    assert.deepEqual(readdirSync(join(dir, 'data', 'backups')), [backupPath.split('/').pop()]);
    assert.ok((r.Bytes as number) > MESSAGES * 1000, `Bytes ${r.Bytes}`);
    assert.equal(typeof r.DurationMs, 'number');
    console.log(`backup: ${r.Bytes} bytes in ${r.DurationMs} ms (${written} messages written during it)`);

    const copy = new Database(backupPath, { readonly: true, fileMustExist: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
      const count = (sql: string) => (copy.prepare(sql).get() as { n: number }).n;
      assert.ok(count('SELECT count(*) AS n FROM accounts') >= 3);
      const messages = count('SELECT count(*) AS n FROM messages');
      assert.ok(messages >= ackedBefore && messages <= ackedAfter, `${messages} in [${ackedBefore}, ${ackedAfter}]`);
      assert.ok(count('SELECT count(*) AS n FROM schema_migrations') >= 7);
    } finally {
      copy.close();
    }
    assert.ok(!existsSync(`${backupPath}-wal`) && !existsSync(`${backupPath}.partial`));
  });

  it('a server started on a copy of the backup serves the data', async () => {
    const restoreDir = mkdtempSync(join(tmpdir(), 'readwire-restore-'));
    copyFileSync(backupPath, join(restoreDir, 'readwire.db'));
    const restored = await startTestServer({ storage: { sqlite: { path: join(restoreDir, 'readwire.db') } } });
    try {
      const q = { From_Account: 'alice', To_Account: 'bob', MaxCnt: 5, MinTime: 0, MaxTime: 4102444800 };
      const page = await restored.call('openim/admin_getroammsg', q);
      assert.equal(page.ErrorCode, 0, page.ErrorInfo);
      assert.equal(page.MsgList.length, 5);
      const check = await restored.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'alice' }] });
      assert.equal(check.ResultItem[0].AccountStatus, 'Imported');
    } finally {
      await restored.close();
      rmSync(restoreDir, { recursive: true, force: true });
    }
  });

  it('refuses a caller that is not the app admin (60010)', async () => {
    const sig = tencentUserSig(APP_ID, APP_KEY, 'alice');
    const r = await t.call('readwire_admin/backup', {}, { query: { identifier: 'alice', usersig: sig } });
    assert.equal(r.ErrorCode, 60010);
    assert.equal(readdirSync(join(dir, 'data', 'backups')).length, 1);
  });
});

describe('readwire_admin/backup on PostgreSQL', () => {
  it('answers 60009 telling to use pg_dump', async () => {
    const schema = freshSchemaName('backup');
    const t = await startTestServer({ storage: { postgres: { url: PG_TEST_URL, schema } } });
    try {
      const r = await t.call('readwire_admin/backup', {});
      assert.equal(r.ErrorCode, 60009);
      assert.match(r.ErrorInfo, /pg_dump/);
    } finally {
      await t.close();
      await dropSchema(schema);
    }
  });
});
