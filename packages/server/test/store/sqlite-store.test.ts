/**
 * The SQLite store: the shared contract on real database files, plus what only SQLite has — the exclusive lock
 * (also against another process), callback rows written in the write's own transaction, group commit isolating a
 * failing write, and durability across close/reopen.
 * @module
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewMessage, Origin } from '../../src/domain/types.ts';
import { ImError } from '../../src/errors/im-error.ts';
import { migrations } from '../../src/store/sqlite/migrations/index.ts';
import { DatabaseLockedError } from '../../src/store/sqlite/open-sqlite.ts';
import type { EventRow } from '../../src/store/sqlite/outbox/event-row.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage } from './helpers/fixtures.ts';
import { after, before, describe, it } from 'node:test';
import { storeContract } from './store-contract.ts';

const APP = 1400000001;
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const STORE_MODULE = new URL('../../src/store/sqlite/sqlite-store.ts', import.meta.url).href;

let dir: string;
let fileNo = 0;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'readwire-store-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh database file path in the temp dir. */
function freshPath(): string {
  return join(dir, `db-${++fileNo}`, 'readwire.sqlite');
}

storeContract('SQLite', () => {
  const path = freshPath();
  const store = new SqliteStore({ path });
  return Promise.resolve({
    store,
    cleanup: async () => {
      await store.close();
      rmSync(join(path, '..'), { recursive: true, force: true });
    },
  });
});

function callbackRows(store: SqliteStore): EventRow[] {
  return store.db.prepare<[], EventRow>('SELECT * FROM callback_events ORDER BY id').all();
}

function messageCount(store: SqliteStore): number {
  return store.db.prepare<[], number>('SELECT count(*) FROM messages').pluck().get()!;
}

const WEB: Origin = { clientIp: '10.1.2.3', optPlatform: 'Web' };
/** Every callback command an effect plan can produce. */
const ALL_CALLBACKS = ['C2C.CallbackAfterSendMsg', 'C2C.CallbackAfterMsgReport', 'C2C.CallbackAfterMsgWithDraw'];
/** Violates NOT NULL on `callback_events.client_ip`: a plan producing a callback from it fails inside the write. */
const NO_CLIENT_IP = { clientIp: null, optPlatform: 'Web' } as unknown as Origin;

/** Sends `m` to `to` with the send plan of `m` (every callback enabled). */
const sendWithEffects = (store: SqliteStore, to: string, m: NewMessage) =>
  store.sendMessage(APP, to, m, {
    dedupWindowSeconds: DEDUP_WINDOW,
    effects: { kind: 'send', enabledCallbacks: ALL_CALLBACKS, message: m },
  });

/** Opens a store with accounts alice, bob, carol, dave in APP. */
async function openWithAccounts(path = freshPath()): Promise<SqliteStore> {
  const store = new SqliteStore({ path });
  await store.importAccounts(APP, [{ userId: 'alice' }, { userId: 'bob' }, { userId: 'carol' }, { userId: 'dave' }]);
  return store;
}

const send = (store: SqliteStore, to: string, m: NewMessage) =>
  store.sendMessage(APP, to, m, { dedupWindowSeconds: DEDUP_WINDOW });

// ---- child processes ----

/** Starts `node --import tsx` on an ES module snippet that has `SqliteStore` and `path` in scope. */
function startChild(path: string, body: string): ChildProcess {
  const code = `import { SqliteStore } from ${JSON.stringify(STORE_MODULE)};
const path = ${JSON.stringify(path)};
${body}`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a child's output and resolves with it and its exit code / signal. */
function finished(
  child: ChildProcess,
): Promise<{ stdout: string; stderr: string; code: number | null; signal: string | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

/** Resolves once the child printed `line` (rejects if it exits first). */
function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').includes(line)) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => reject(new Error(`child exited (${code}) before printing ${line}: ${out}\n${err}`)));
  });
}

const TRY_OPEN = `try {
  const store = new SqliteStore({ path });
  await store.close();
  console.log('OPENED');
} catch (error) {
  console.log(error instanceof Error ? error.name : String(error));
  process.exitCode = 3;
}`;

describe('SqliteStore: exclusive lock', () => {
  it('a database migrated by a newer readwire is refused, naming both migration numbers', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path });
    const known = Math.max(...migrations.map((m) => m.version));
    store.db
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(known + 1, 'from-the-future', Date.now());
    await store.close();
    assert.throws(
      () => new SqliteStore({ path }),
      (error: Error) =>
        error.name === 'DatabaseOpenError' &&
        error.message.includes(`at migration ${known + 1}`) &&
        error.message.includes(`up to ${known} only`),
    );
  });

  it('a second store on the same file throws DatabaseLockedError, also after a reopen', async () => {
    const path = freshPath();
    const first = await openWithAccounts(path);
    assert.throws(() => new SqliteStore({ path }), DatabaseLockedError);
    assert.throws(() => new SqliteStore({ path }), /in use by another process/);
    await first.close();
    // Reopened (no migration to apply, so nothing is written while opening): still exclusive.
    const reopened = new SqliteStore({ path });
    assert.throws(() => new SqliteStore({ path }), DatabaseLockedError);
    // The failed opens did not disturb the holder.
    assert.equal((await reopened.existingAccounts(APP, ['alice'])).size, 1);
    await send(reopened, 'bob', newMessage('alice'));
    await reopened.close();
    const third = new SqliteStore({ path });
    assert.equal((await third.getUnread(APP, 'bob')).total, 1);
    await third.close();
  });

  it(
    'another process cannot open the file while this one holds it, and can once it is closed',
    { timeout: 30_000 },
    async () => {
      const path = freshPath();
      const store = await openWithAccounts(path);
      const locked = await finished(startChild(path, TRY_OPEN));
      assert.equal(locked.stdout.trim(), 'DatabaseLockedError', locked.stderr);
      assert.equal(locked.code, 3);
      // Still fully usable here.
      await send(store, 'bob', newMessage('alice'));
      await store.close();
      const free = await finished(startChild(path, TRY_OPEN));
      assert.equal(free.stdout.trim(), 'OPENED', free.stderr);
      assert.equal(free.code, 0);
    },
  );

  it(
    'a process killed with SIGKILL releases the lock, and its acknowledged writes survive',
    { timeout: 30_000 },
    async () => {
      const path = freshPath();
      const child = startChild(
        path,
        `const store = new SqliteStore({ path });
await store.importAccounts(${APP}, [{ userId: 'alice' }, { userId: 'bob' }]);
const m = { from: 'alice', msgSeq: 1, msgRandom: 7, body: [], countsUnread: true, noLastMsg: false, syncOtherMachine: 1,
  lifeTime: 604800, onlineOnly: false, contentCrc: 0, forbidCallbacks: [], origin: { clientIp: '', optPlatform: 'RESTAPI' } };
await store.sendMessage(${APP}, 'bob', m, { dedupWindowSeconds: 120 });
console.log('READY');
setInterval(() => {}, 1000);`,
      );
      const done = finished(child);
      await printed(child, 'READY');
      assert.throws(() => new SqliteStore({ path }), DatabaseLockedError);
      child.kill('SIGKILL');
      const exit = await done;
      assert.equal(exit.signal, 'SIGKILL');
      const store = new SqliteStore({ path });
      try {
        assert.equal((await store.getUnread(APP, 'bob', ['alice'])).perPeer[0]?.unread, 1);
      } finally {
        await store.close();
      }
    },
  );
});

describe('SqliteStore: durability across close/reopen', () => {
  it('keeps accounts, messages, counts, watermarks and dedup state', async () => {
    const path = freshPath();
    const s1 = await openWithAccounts(path);
    const m1 = await send(s1, 'bob', newMessage('alice'));
    await send(s1, 'bob', newMessage('alice'));
    const read1 = await s1.setRead(APP, { reporter: 'bob', peer: 'alice', origin: ORIGIN });
    const late = newMessage('alice');
    const m3 = await send(s1, 'bob', late);
    const m4 = await send(s1, 'bob', newMessage('alice'));
    await s1.withdrawMessage(APP, { from: 'alice', to: 'bob', msgKey: m4.message.msgKey, origin: ORIGIN });
    await send(s1, 'bob', newMessage('carol'));
    const future = m1.message.msgTime + 1000;
    await s1.setRead(APP, { reporter: 'carol', peer: 'dave', readTime: future, origin: ORIGIN });
    const roamBefore = await s1.getRoamMessages(APP, {
      from: 'alice',
      to: 'bob',
      maxCnt: 100,
      minTime: 0,
      maxTime: 2 ** 32,
    });
    await s1.close();

    const s2 = new SqliteStore({ path });
    try {
      assert.deepEqual(await s2.getUnread(APP, 'bob', ['alice', 'carol']), {
        total: 2,
        perPeer: [
          { peer: 'alice', unread: 1 },
          { peer: 'carol', unread: 1 },
        ],
        missingPeers: [],
      });
      const roamAfter = await s2.getRoamMessages(APP, {
        from: 'alice',
        to: 'bob',
        maxCnt: 100,
        minTime: 0,
        maxTime: 2 ** 32,
      });
      assert.deepEqual(roamAfter, roamBefore);
      assert.deepEqual(
        roamAfter.messages.map((m) => m.recalled),
        [true, false, false, false],
      );
      // Dedup state survived.
      const dup = await send(s2, 'bob', late);
      assert.equal(dup.duplicate, true);
      assert.equal(dup.message.msgKey, m3.message.msgKey);
      // New ids continue above the old ones; time never goes back.
      const m5 = await send(s2, 'bob', newMessage('alice'));
      assert.ok(m5.message.id > m4.message.id);
      assert.ok(m5.message.msgTime >= m4.message.msgTime);
      assert.equal(m5.recipientUnreadTotal, 3);
      // Watermarks survived: the id watermark (m1, m2 read) and a future MsgReadTime.
      const again = await s2.setRead(APP, { reporter: 'bob', peer: 'alice', readTime: 1, origin: ORIGIN });
      assert.equal(again.conversationUnread, 2, 'm3 and m5; m1/m2 stay read, m4 recalled');
      assert.equal(again.lastReadTime, read1.lastReadTime);
      assert.equal((await send(s2, 'carol', newMessage('dave'))).recipientUnreadTotal, 0, 'future MsgReadTime kept');
      const versions = s2.db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
        .all();
      assert.deepEqual(
        versions.map((v) => v.version),
        migrations.map((m) => m.version).sort((a, b) => a - b),
        'every migration applied exactly once',
      );
    } finally {
      await s2.close();
    }
  });

  it('close() commits writes still waiting for their group commit; later writes reject', async () => {
    const path = freshPath();
    const s1 = await openWithAccounts(path);
    const pending = send(s1, 'bob', newMessage('alice'));
    const pendingRead = s1.setRead(APP, { reporter: 'carol', peer: 'alice', readTime: 5, origin: ORIGIN });
    assert.equal(s1.committer.pending, 2);
    await s1.close();
    const sent = await pending;
    assert.equal((await pendingRead).lastReadTime, 5);
    await assert.rejects(
      send(s1, 'bob', newMessage('alice')),
      (e: unknown) => e instanceof ImError && e.code === 'INTERNAL',
    );
    const s2 = new SqliteStore({ path });
    try {
      const page = await s2.getRoamMessages(APP, {
        from: 'alice',
        to: 'bob',
        maxCnt: 10,
        minTime: 0,
        maxTime: 2 ** 32,
      });
      assert.deepEqual(page.messages, [sent.message]);
      assert.equal((await s2.getUnread(APP, 'bob')).total, 1);
    } finally {
      await s2.close();
    }
  });
});

describe('SqliteStore: callback events are written in the same transaction', () => {
  it('a send, a read report and a recall write their callback rows; a duplicate writes none', async () => {
    const store = await openWithAccounts();
    try {
      const before = Date.now();
      const m = newMessage('alice', { origin: WEB });
      const sent = await sendWithEffects(store, 'bob', m);
      const dup = await sendWithEffects(store, 'bob', m);
      assert.equal(dup.duplicate, true);
      const read = await store.setRead(
        APP,
        { reporter: 'bob', peer: 'alice', origin: ORIGIN },
        { effects: { kind: 'read', enabledCallbacks: ALL_CALLBACKS, origin: WEB } },
      );
      await store.withdrawMessage(
        APP,
        { from: 'alice', to: 'bob', msgKey: sent.message.msgKey, origin: ORIGIN },
        { effects: { kind: 'withdraw', enabledCallbacks: ALL_CALLBACKS, origin: WEB } },
      );
      const after = Date.now();
      const rows = callbackRows(store);
      assert.deepEqual(
        rows.map((r) => [r.app_id, r.command, r.ordering_key, r.client_ip, r.opt_platform, r.state, r.attempts]),
        [
          [APP, 'C2C.CallbackAfterSendMsg', 'alice', '10.1.2.3', 'Web', 'pending', 0],
          [APP, 'C2C.CallbackAfterMsgReport', 'bob', '10.1.2.3', 'Web', 'pending', 0],
          [APP, 'C2C.CallbackAfterMsgWithDraw', 'alice', '10.1.2.3', 'Web', 'pending', 0],
        ],
      );
      assert.equal(new Set(rows.map((r) => r.event_id)).size, 3, 'unique event ids');
      const bodies = rows.map((r) => JSON.parse(r.body) as Record<string, unknown>);
      for (const [i, b] of bodies.entries()) {
        assert.equal(b.CallbackCommand, rows[i]!.command);
        assert.equal(typeof b.EventTime, 'number');
        assert.ok(
          (b.EventTime as number) >= before && (b.EventTime as number) <= after,
          'EventTime is the commit time in ms',
        );
        assert.equal(rows[i]!.created_at, b.EventTime);
      }
      const fields = (b: Record<string, unknown>, ...names: string[]) => names.map((n) => b[n]);
      assert.deepEqual(fields(bodies[0]!, 'From_Account', 'To_Account', 'MsgKey', 'MsgTime', 'UnreadMsgNum'), [
        'alice',
        'bob',
        sent.message.msgKey,
        sent.message.msgTime,
        1,
      ]);
      assert.deepEqual(
        fields(bodies[1]!, 'Report_Account', 'Peer_Account', 'LastReadTime', 'UnreadMsgNum'),
        ['bob', 'alice', read.lastReadTime, 0],
        'the report callback carries the count computed in the transaction',
      );
      assert.deepEqual(fields(bodies[2]!, 'From_Account', 'To_Account', 'MsgKey', 'UnreadMsgNum'), [
        'alice',
        'bob',
        sent.message.msgKey,
        0,
      ]);
    } finally {
      await store.close();
    }
  });

  it('a write that fails after producing callbacks writes neither its change nor any callback row', async () => {
    const store = await openWithAccounts();
    try {
      // The callback row violates NOT NULL on client_ip: the message row was already inserted when it fails.
      await assert.rejects(sendWithEffects(store, 'bob', newMessage('alice', { origin: NO_CLIENT_IP })), /NOT NULL/);
      assert.deepEqual(callbackRows(store), []);
      assert.equal(messageCount(store), 0);
      assert.equal((await store.getUnread(APP, 'bob')).total, 0);
      const convs = store.db.prepare('SELECT count(*) FROM conversations').pluck().get();
      assert.equal(convs, 0, 'no conversation row either');

      const m = await send(store, 'bob', newMessage('alice'));
      await assert.rejects(
        store.setRead(
          APP,
          { reporter: 'bob', peer: 'alice', origin: ORIGIN },
          { effects: { kind: 'read', enabledCallbacks: ALL_CALLBACKS, origin: NO_CLIENT_IP } },
        ),
        /NOT NULL/,
      );
      await assert.rejects(
        store.withdrawMessage(
          APP,
          { from: 'alice', to: 'bob', msgKey: m.message.msgKey, origin: ORIGIN },
          { effects: { kind: 'withdraw', enabledCallbacks: ALL_CALLBACKS, origin: NO_CLIENT_IP } },
        ),
        /NOT NULL/,
      );
      // A failing operation (unknown account) fails before its plan runs: its own error, and no callback row.
      await assert.rejects(
        store.setRead(
          APP,
          { reporter: 'ghost', peer: 'alice', origin: ORIGIN },
          { effects: { kind: 'read', enabledCallbacks: ALL_CALLBACKS, origin: NO_CLIENT_IP } },
        ),
        (e: unknown) => e instanceof ImError && e.code === 'FROM_ACCOUNT_INVALID',
      );
      assert.deepEqual(callbackRows(store), []);
      assert.deepEqual(await store.getUnread(APP, 'bob', ['alice']), {
        total: 1,
        perPeer: [{ peer: 'alice', unread: 1 }],
        missingPeers: [],
      });
      const conv = store.db
        .prepare<[number], { read_upto_id: number; read_time: number; last_read_time: number }>(
          `SELECT read_upto_id, read_time, last_read_time FROM conversations WHERE app_id = ? AND owner = 'bob' AND peer = 'alice'`,
        )
        .get(APP);
      assert.deepEqual(conv, { read_upto_id: 0, read_time: 0, last_read_time: 0 });
      const recalled = store.db.prepare('SELECT recalled FROM messages WHERE id = ?').pluck().get(m.message.id);
      assert.equal(recalled, 0);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteStore: group commit', () => {
  it('writes issued in one tick share one commit; a failing one rolls back alone', async () => {
    const store = await openWithAccounts();
    try {
      const seed = await send(store, 'bob', newMessage('carol'));
      const m1 = sendWithEffects(store, 'bob', newMessage('alice'));
      const failing = sendWithEffects(store, 'bob', newMessage('alice', { origin: NO_CLIENT_IP }));
      const toGhost = sendWithEffects(store, 'ghost', newMessage('alice'));
      // Issued in this same tick: reads what was stored before it in the batch (m1 and seed), not what comes after.
      const readAll = store.setRead(APP, { reporter: 'bob', peer: 'alice', origin: ORIGIN });
      const m2 = sendWithEffects(store, 'bob', newMessage('alice'));
      const recallSeed = store.withdrawMessage(APP, {
        from: 'carol',
        to: 'bob',
        msgKey: seed.message.msgKey,
        origin: ORIGIN,
      });
      const batch = store.batchSendMessage(APP, ['dave', 'ghost'], newMessage('alice'));
      assert.equal(store.committer.pending, 7, 'all seven wait for one commit');
      const results = await Promise.allSettled([m1, failing, toGhost, readAll, m2, recallSeed, batch]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
      );
      assert.equal(store.committer.pending, 0);
      assert.equal(store.db.inTransaction, false);
      const read = await readAll;
      assert.equal(read.conversationUnread, 0);
      assert.equal(read.unreadTotal, 1, 'the seed from carol, not yet recalled when the report ran');
      assert.equal((await m2).recipientUnreadTotal, 2);
      assert.deepEqual(await store.getUnread(APP, 'bob', ['alice', 'carol']), {
        total: 1,
        perPeer: [
          { peer: 'alice', unread: 1 },
          { peer: 'carol', unread: 0 },
        ],
        missingPeers: [],
      });
      assert.equal((await store.getUnread(APP, 'dave')).total, 1);
      assert.deepEqual(
        callbackRows(store).map((r) => (JSON.parse(r.body) as { MsgKey: string }).MsgKey),
        [(await m1).message.msgKey, (await m2).message.msgKey],
        'only the committed writes left callback rows',
      );
      // seed, m1, m2 and the batch copy to dave: nothing of the failing writes.
      assert.equal(messageCount(store), 4);
      const upto = store.db
        .prepare(`SELECT read_upto_id FROM conversations WHERE app_id = ? AND owner = 'bob' AND peer = 'alice'`)
        .pluck()
        .get(APP);
      assert.equal(upto, (await m1).message.id, 'the id watermark is the last message stored before the report');
    } finally {
      await store.close();
    }
  });

  it('a write issued in the turn after the first one rides the same commit', async () => {
    const store = await openWithAccounts();
    try {
      let commits = 0;
      store.committer.onCommit(() => commits++);
      const first = send(store, 'bob', newMessage('alice'));
      await new Promise((r) => setImmediate(r));
      assert.equal(store.committer.pending, 1, 'one turn later the first write still waits');
      const second = send(store, 'bob', newMessage('alice'));
      assert.equal(store.committer.pending, 2);
      assert.deepEqual(
        (await Promise.all([first, second])).map((r) => r.recipientUnreadTotal),
        [1, 2],
      );
      assert.equal(commits, 1, 'both in one commit');
      assert.equal(store.committer.pending, 0);
    } finally {
      await store.close();
    }
  });

  it('a window > 0 gathers writes from several ticks into one commit', async () => {
    const store = new SqliteStore({ path: freshPath(), groupCommitWindowMs: 50 });
    try {
      const imported = store.importAccounts(APP, [{ userId: 'alice' }, { userId: 'bob' }]);
      await new Promise((r) => setImmediate(r));
      assert.equal(store.committer.pending, 1, 'still waiting for the window');
      const sent = send(store, 'bob', newMessage('alice'));
      assert.equal(store.committer.pending, 2);
      await imported;
      assert.equal((await sent).recipientUnreadTotal, 1);
    } finally {
      await store.close();
    }
  });
});
