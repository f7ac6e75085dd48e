/**
 * Several PostgreSQL stores (as several nodes) on one schema running the one-to-one surface's writes at once — read-all,
 * conversation deletes, imports, read receipts, edits and kicks among sends and read reports: every write commits
 * without a deadlock (each locks rows in the one global order), counts equal a recount, and one import reaching every
 * node at once is stored once.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { assertExactCounts, openPgNodes } from './helpers/pg-nodes.ts';
import { DEDUP_WINDOW, ORIGIN, newMessage, textBody } from './helpers/fixtures.ts';

const USERS = ['u0', 'u1', 'u2', 'u3'];
const NODES = 3;
const PAST = 1556178721;
let nextApp = 1600100000;

describe('PostgreSQL: the one-to-one surface from several nodes at once', () => {
  let nodes: PostgresStore[] = [];
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ nodes, cleanup } = await openPgNodes(NODES));
  });
  after(() => cleanup());

  const recount = (app: number) => assertExactCounts(nodes[0]!, app);

  it(
    'read-all, deletes, imports, receipts, edits and kicks among sends keep exact counts',
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
      for (let i = 0; i < 300; i++) {
        const node = nodes[i % NODES]!;
        const from = pick(i * 7 + 1);
        const to = pick(i * 3 + (from === pick(i * 3) ? 1 : 0));
        const kind = i % 10;
        const m = sent[i % Math.max(1, sent.length)];
        if (kind < 4) {
          ops.push(
            node.sendMessage(app, to, newMessage(from), { dedupWindowSeconds: DEDUP_WINDOW }).then((r) => {
              sent.push({ from, to, msgKey: r.message.msgKey });
            }),
          );
        } else if (kind === 4) {
          ops.push(node.setReadAll(app, { reporter: to, origin: ORIGIN }));
        } else if (kind === 5) {
          ops.push(node.deleteConversation(app, { owner: to, peer: from, clearHistory: i % 20 === 5 }));
        } else if (kind === 6) {
          ops.push(node.importMessage(app, to, newMessage(from, { msgSeq: i, msgRandom: i }), PAST + i));
        } else if (kind === 7 && m) {
          ops.push(node.setReadReceipts(app, { reader: m.to, peer: m.from, msgKeys: [m.msgKey], origin: ORIGIN }));
        } else if (kind === 8 && m) {
          ops.push(node.modifyMessage(app, { ...m, operator: m.from, body: textBody(`edit ${i}`), origin: ORIGIN }));
        } else if (kind === 9) {
          ops.push(node.kickAccount(app, from));
        } else {
          ops.push(node.setRead(app, { reporter: to, peer: from, origin: ORIGIN }));
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

  it('the same import reaching every node at once is stored once', async () => {
    const app = nextApp++;
    await nodes[0]!.importAccounts(app, [{ userId: 'a' }, { userId: 'b' }]);
    const m = newMessage('a', { msgSeq: 5, msgRandom: 6 });
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) => nodes[i % NODES]!.importMessage(app, 'b', m, PAST)),
    );
    assert.equal(results.filter((r) => !r.duplicate).length, 1);
    assert.equal(new Set(results.map((r) => r.message.msgKey)).size, 1);
    assert.equal((await nodes[1]!.getUnread(app, 'b')).total, 1);
    await recount(app);
  });
});
