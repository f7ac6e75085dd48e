/**
 * Several PostgreSQL stores (pools, as several nodes would have) on one schema, writing to the same conversations at
 * once: counts equal a recount and are never negative, a resend reaching two nodes is stored once, sync-log seqs
 * follow commit order, only one event per ordering key is ever leased at insert, and a deadlock is retried.
 * @module
 */
import assert from 'node:assert/strict';
import type { ClaimedEvent, InsertClaims } from '../../src/dispatch/outbox.ts';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { assertExactCounts, openPgNodes } from './helpers/pg-nodes.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage } from './helpers/fixtures.ts';
import { after, before, describe, it } from 'node:test';

const USERS = ['u0', 'u1', 'u2', 'u3'];
const NODES = 3;
let nextApp = 1600000000;

describe('PostgreSQL: several nodes on one schema', () => {
  let nodes: PostgresStore[] = [];
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ nodes, cleanup } = await openPgNodes(NODES));
  });
  after(() => cleanup());

  const recount = (app: number) => assertExactCounts(nodes[0]!, app);

  it(
    'concurrent sends, reads, recalls and batch sends from three nodes keep exact counts',
    { timeout: 120_000 },
    async () => {
      const app = nextApp++;
      await nodes[0]!.importAccounts(
        app,
        USERS.map((userId) => ({ userId })),
      );
      const pick = (i: number) => USERS[i % USERS.length]!;
      const sent: { from: string; to: string; msgKey: string }[] = [];
      const retriesBefore = nodes.map((n) => n.pool.retries);
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < 400; i++) {
        const node = nodes[i % NODES]!;
        const from = pick(i * 7 + 1);
        const to = pick(i * 3 + (from === pick(i * 3) ? 1 : 0));
        const kind = i % 10;
        if (kind < 5) {
          ops.push(
            node.sendMessage(app, to, newMessage(from), { dedupWindowSeconds: DEDUP_WINDOW }).then((r) => {
              sent.push({ from, to, msgKey: r.message.msgKey });
            }),
          );
        } else if (kind < 8) {
          ops.push(node.setRead(app, { reporter: to, peer: from, origin: ORIGIN }));
        } else if (kind === 8 && sent.length > 0) {
          const m = sent[i % sent.length]!;
          ops.push(node.withdrawMessage(app, { ...m, origin: ORIGIN }));
        } else {
          ops.push(
            node.batchSendMessage(
              app,
              USERS.filter((u) => u !== from),
              newMessage(from),
            ),
          );
        }
      }
      const results = await Promise.allSettled(ops);
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
        'every write commits',
      );
      assert.deepEqual(
        nodes.map((n) => n.pool.retries),
        retriesBefore,
        'no deadlock: every write locks rows in the one global order',
      );
      await recount(app);
    },
  );

  it('the same resend reaching every node at once is stored once', async () => {
    const app = nextApp++;
    await nodes[0]!.importAccounts(
      app,
      USERS.map((userId) => ({ userId })),
    );
    const m = newMessage('u0');
    const results = await Promise.all(
      nodes.map((n) => n.sendMessage(app, 'u1', m, { dedupWindowSeconds: DEDUP_WINDOW })),
    );
    assert.equal(results.filter((r) => !r.duplicate).length, 1);
    assert.equal(new Set(results.map((r) => r.message.msgKey)).size, 1);
    assert.equal((await nodes[1]!.getUnread(app, 'u1')).total, 1);
  });

  it('sync-log seqs follow commit order: a reader tailing the log never sees a seq appear below one it saw', async () => {
    const app = nextApp++;
    await nodes[0]!.importAccounts(
      app,
      USERS.map((userId) => ({ userId })),
    );
    for (const u of USERS) await nodes[1]!.startSyncLog(app, u);
    const start = (await nodes[2]!.readSyncEvents({ after: 0, limit: 0 })).head;
    let tail = start;
    const seen: number[] = [];
    let writing = true;
    const reader = (async () => {
      while (writing || tail < (await nodes[2]!.readSyncEvents({ after: 0, limit: 0 })).head) {
        const page = await nodes[2]!.readSyncEvents({ after: tail, limit: 1000 });
        for (const e of page.events) seen.push(e.seq);
        tail = page.events.at(-1)?.seq ?? tail;
      }
    })();
    const writes = Array.from({ length: 150 }, (_, i) => {
      const m = newMessage(USERS[i % 4]!);
      return nodes[i % NODES]!.sendMessage(app, USERS[(i + 1) % 4]!, m, {
        dedupWindowSeconds: DEDUP_WINDOW,
        effects: { kind: 'send', enabledCallbacks: [], message: m },
      });
    });
    await Promise.all(writes);
    writing = false;
    await reader;
    // Each send logs an entry for the sender and the recipient.
    assert.equal(seen.length, 300, 'the tail saw every entry');
    assert.deepEqual(
      seen,
      Array.from({ length: 300 }, (_, i) => start + i + 1),
      'in seq order, without gaps',
    );
  });

  it('only the head of an ordering key is leased at insert, whichever node writes', async () => {
    const app = nextApp++;
    await nodes[0]!.importAccounts(
      app,
      USERS.map((userId) => ({ userId })),
    );
    const leased: ClaimedEvent[] = [];
    const always: InsertClaims = {
      reset: () => {},
      take: () => ({ owner: 'test', leaseMs: 60_000 }),
      adopt: (events) => leased.push(...events),
    };
    for (const n of nodes) n.claimOnInsert(always);
    try {
      const effects = { kind: 'read' as const, enabledCallbacks: ['C2C.CallbackAfterMsgReport'], origin: ORIGIN };
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          nodes[i % NODES]!.setRead(app, { reporter: 'u0', peer: USERS[1 + (i % 3)]!, origin: ORIGIN }, { effects }),
        ),
      );
      assert.equal(leased.length, 1, 'one event of the key in flight at a time');
      const rows = await nodes[0]!.inspect<{ id: number; lease_owner: string | null }>(
        `SELECT id, lease_owner FROM callback_events WHERE app_id = ${app} ORDER BY id`,
      );
      assert.equal(rows.length, 30);
      assert.equal(rows[0]!.lease_owner, 'test', 'the leased one is the lowest id: the key’s head');
      assert.equal(rows.filter((r) => r.lease_owner !== null).length, 1);
    } finally {
      for (const n of nodes) n.claimOnInsert({ reset: () => {}, take: () => undefined, adopt: () => {} });
    }
  });

  it('a deadlock between two transactions is retried, and both commit', async () => {
    const pool = nodes[0]!.pool;
    const app = nextApp++;
    await nodes[0]!.importAccounts(app, [{ userId: 'a' }, { userId: 'b' }]);
    const retriesBefore = pool.retries;
    let arrived = 0;
    const barrier = () =>
      new Promise<void>((resolve) => {
        arrived++;
        const check = () => (arrived >= 2 ? resolve() : setTimeout(check, 5));
        check();
      });
    const lockBoth = (first: string, second: string) =>
      pool.transaction(async (tx) => {
        await tx.client.query(`UPDATE accounts SET nick = nick WHERE app_id = $1 AND user_id = $2`, [app, first]);
        await barrier();
        await tx.client.query(`UPDATE accounts SET nick = nick WHERE app_id = $1 AND user_id = $2`, [app, second]);
      });
    await Promise.all([lockBoth('a', 'b'), lockBoth('b', 'a')]);
    assert.ok(pool.retries > retriesBefore, 'one of them ran again after 40P01');
  });
});
