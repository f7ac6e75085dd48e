/**
 * `readwire migrate-data --from sqlite:PATH --to postgres:URL`: everything a SQLite server stored (accounts and counts,
 * messages, conversations, the callback outbox with attempts and saved configs, the sync log) arrives in PostgreSQL
 * row for row, a PostgreSQL store carries on from it (new ids above the copied ones, a device's cursor still valid),
 * and the command refuses a non-empty target and a SQLite file a server is using.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { NewMessage } from '../../src/domain/types.ts';
import pg from 'pg';
import { APP_A, report, startDispatchServer, type DispatchServer } from '../dispatch/helpers/dispatch-server.ts';
import { ok, startReceiver, status, type Receiver } from '../dispatch/helpers/receiver.ts';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { spawnCli } from '../helpers/spawn-cli.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { COPIED_TABLES } from '../../src/store/migrate-sqlite-to-postgres.ts';
import { dropSchema, PG_URL, randomSchema } from './helpers/pg.ts';

const schema = randomSchema('rw_migrate');
let s: DispatchServer;
let receiver: Receiver;
const before0 = new Map<string, unknown>();
const before1 = new Map<string, unknown>();
let maxEventRow = 0;

let random = 1;
const send = (from: string, to: string, text: string) =>
  s.call('openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: random++,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  });

before(async () => {
  receiver = await startReceiver(ok());
  s = await startDispatchServer({
    callbackA: {
      url: `${receiver.url}/cb`,
      commands: ['C2C.CallbackAfterMsgReport', 'C2C.CallbackAfterSendMsg'],
      retry: [0.05],
    },
  });
  await s.accounts(['alice', 'bob', 'carol']);
  await s.server.store.startSyncLog(APP_A, 'bob');
  for (let i = 0; i < 30; i++) assert.equal((await send(i % 2 ? 'alice' : 'carol', 'bob', `m${i}`)).ErrorCode, 0);
  const withdrawn = await send('alice', 'bob', 'oops');
  assert.equal(
    (await s.call('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: withdrawn.MsgKey }))
      .ErrorCode,
    0,
  );
  const receipted = await send('alice', 'bob', 'seen');
  const receipt = await s.call('openim/c2c_msg_read_receipt', {
    Operator_Account: 'bob',
    Peer_Account: 'alice',
    C2CMsgInfo: [{ From_Account: 'alice', To_Account: 'bob', MsgKey: receipted.MsgKey }],
  });
  assert.equal(receipt.ErrorCode, 0);
  assert.equal((await s.call('im_open_login_svc/kick', { UserID: 'carol' })).ErrorCode, 0);
  assert.equal((await report(s, 'bob', 'alice')).ErrorCode, 0);
  await waitFor(() => receiver.received.length >= 33, 'callbacks delivered');
  // Some events end dead (the receiver fails, one retry), one stays pending behind them.
  receiver.behaviour = status(500);
  assert.equal((await report(s, 'carol', 'bob')).ErrorCode, 0);
  await waitFor(
    async () => (await s.call('readwire_callback/list_events', { State: 'dead' })).Events?.length >= 1,
    'a dead event',
  );
  assert.equal(
    (await s.call('readwire_callback/set_config', { Callback: { url: `${receiver.url}/saved` } })).ErrorCode,
    0,
  );
  for (const u of ['alice', 'bob', 'carol']) {
    before0.set(u, await s.call('openim/get_c2c_unread_msg_num', { To_Account: u }));
  }
  await s.close({ keepDir: true });
});
after(async () => {
  await receiver?.close();
  await dropSchema(schema);
});

/** Every row of `table` in a comparable form (numbers as numbers, ordered by all columns). */
function sqliteRows(db: Database.Database, table: string): Record<string, unknown>[] {
  return db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
}
async function pgRows(table: string, columns: string[]): Promise<Record<string, unknown>[]> {
  // bigint as numbers, as SQLite gives them.
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const c = new pg.Client({ connectionString: PG_URL, types });
  await c.connect();
  try {
    return (await c.query<Record<string, unknown>>(`SELECT ${columns.join(', ')} FROM ${schema}.${table}`)).rows;
  } finally {
    await c.end();
  }
}
const sortRows = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('readwire migrate-data', () => {
  it('refuses a SQLite file a server is using', async () => {
    const busy = await startDispatchServer();
    try {
      const cli = spawnCli(
        [
          'migrate-data',
          '--from',
          `sqlite:${busy.dbPath}`,
          '--to',
          PG_URL,
          '--schema',
          randomSchema('rw_migrate_busy'),
        ],
        busy.dir,
      );
      assert.notEqual(await cli.exited, 0);
      assert.match(cli.output(), /in use by another process/);
    } finally {
      await busy.close();
    }
  });

  it('copies every row, and a PostgreSQL store carries on from them', async () => {
    const cli = spawnCli(['migrate-data', '--from', `sqlite:${s.dbPath}`, '--to', PG_URL, '--schema', schema], s.dir);
    assert.equal(await cli.exited, 0, cli.output());
    assert.match(cli.output(), /row counts match/);

    const db = new Database(s.dbPath, { readonly: true });
    try {
      for (const table of COPIED_TABLES) {
        const rows = sqliteRows(db, table);
        const columns = Object.keys(rows[0] ?? { x: 1 });
        if (rows.length === 0) continue;
        // A clean stop leaves no lease, so the copy changes nothing in these rows.
        if (table === 'callback_events') assert.ok(rows.every((r) => r.lease_owner === null));
        assert.deepEqual(sortRows(await pgRows(table, columns)), sortRows(rows), `table ${table}`);
      }
      assert.ok(sqliteRows(db, 'sync_events').length >= 30, 'the sync log was copied');
      assert.ok(
        sqliteRows(db, 'messages').some((r) => Number(r.read_receipt_at) > 0),
        'a receipt was copied',
      );
      assert.ok(
        sqliteRows(db, 'accounts').some((r) => Number(r.sigs_valid_after) > 0),
        'a kick was copied',
      );
      before1.set('maxMessageId', (db.prepare('SELECT max(id) AS m FROM messages').get() as { m: number }).m);
      maxEventRow = (db.prepare('SELECT max(id) AS m FROM callback_events').get() as { m: number }).m;
    } finally {
      db.close();
    }

    const store = await PostgresStore.open({ url: PG_URL, schema });
    try {
      for (const u of ['alice', 'bob', 'carol']) {
        const want = before0.get(u) as { AllC2CUnreadMsgNum: number };
        assert.equal((await store.getUnread(APP_A, u)).total, want.AllC2CUnreadMsgNum, `unread of ${u}`);
      }
      const saved = await store.outbox.loadConfigs();
      assert.equal((saved[0]?.config as { url: string }).url, `${receiver.url}/saved`);
      const dead = await store.outbox.listEvents({ appId: APP_A, state: 'dead', limit: 10 });
      assert.ok(dead.rows.length >= 1);
      // The log goes on above the copied head: a device's cursor stays valid.
      const log = await store.readSyncEvents({ appId: APP_A, userId: 'bob', after: 0, limit: 1000 });
      const head = log.head;
      assert.ok(head >= 30);
      const message: NewMessage = {
        from: 'alice',
        msgSeq: 1,
        msgRandom: 999_999,
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'after' } }],
        countsUnread: true,
        noLastMsg: false,
        syncOtherMachine: 1,
        lifeTime: 604800,
        onlineOnly: false,
        contentCrc: 1,
        forbidCallbacks: [],
        origin: { clientIp: '127.0.0.1', optPlatform: 'RESTAPI' },
      };
      const sent = await store.sendMessage(APP_A, 'bob', message, {
        dedupWindowSeconds: 60,
        effects: { kind: 'send', enabledCallbacks: ['C2C.CallbackAfterSendMsg'], message },
      });
      const maxCopied = Number((before1.get('maxMessageId') as number) ?? 0);
      assert.ok(sent.message.id > maxCopied, `new message id ${sent.message.id} above the copied ${maxCopied}`);
      const next = await store.readSyncEvents({ appId: APP_A, userId: 'bob', after: head, limit: 10 });
      assert.equal(next.events.length, 1);
      assert.ok(next.events[0]!.seq > head);
      assert.equal(
        (await store.getUnread(APP_A, 'bob')).total,
        (before0.get('bob') as { AllC2CUnreadMsgNum: number }).AllC2CUnreadMsgNum + 1,
      );
      const events = await store.outbox.listEvents({ appId: APP_A, limit: 1 });
      assert.ok(events.rows[0]!.rowId > maxEventRow, 'new event row id above the copied ones');
    } finally {
      await store.close();
    }
  });

  it('refuses a schema that already holds data', async () => {
    const cli = spawnCli(['migrate-data', '--from', `sqlite:${s.dbPath}`, '--to', PG_URL, '--schema', schema], s.dir);
    assert.notEqual(await cli.exited, 0);
    assert.match(cli.output(), /already holds data/);
  });
});
