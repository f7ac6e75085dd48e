/**
 * The client gateway across real server processes on one schema: a device connected to one node gets the messages,
 * unread changes and read receipts caused through REST or by devices on other nodes, and a device that reconnects to
 * another node resumes from its cursor without loss or duplicates.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RawClient } from '../gateway/helpers/raw-client.ts';
import { APP, percentile, startCluster, type Cluster } from './helpers/cluster.ts';

let c: Cluster;
const clients: RawClient[] = [];

before(async () => {
  c = await startCluster({ nodes: 3 });
  await c.accounts(['alice', 'bob', 'carol', 'dave']);
});
after(async () => {
  for (const x of clients) x.close();
  await c?.close();
});

async function login(node: number, userId: string, cursor?: string): Promise<RawClient> {
  const x = await RawClient.connect(c.nodes[node]!.wsUrl);
  clients.push(x);
  const data = { sdkAppId: APP, userId, userSig: await c.sig(userId), platform: 'Web', ...(cursor ? { cursor } : {}) };
  await x.call('login', data);
  await x.push('synced');
  return x;
}

let random = 1;
function restSend(node: number, from: string, to: string, text: string) {
  return c.call(node, 'openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: random++,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  });
}
const textOf = (f: { data?: Record<string, any> }) =>
  f.data?.message?.body?.[0]?.MsgContent?.Text as string | undefined;
const seqs = (x: RawClient) =>
  x.frames.filter((f) => f.type === 'push' && f.seq !== undefined).map((f) => Number(f.seq));

describe('the gateway across nodes', () => {
  it('pushes REST sends made on node 0 to a device on node 1 promptly', async () => {
    const alice = await login(1, 'alice');
    const latencies: number[] = [];
    for (let i = 0; i < 60; i++) {
      const text = `latency ${i}`;
      const t0 = performance.now();
      const got = alice.push('message', (f) => textOf(f) === text, 5000);
      const r = await restSend(0, 'bob', 'alice', text);
      assert.equal(r.ErrorCode, 0);
      await got;
      latencies.push(performance.now() - t0);
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `cross-node push REST->device: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (60 sends, one at a time)`,
    );
    // The figures are printed above; the assertion only shows the NOTIFY path at work: waiting for the 1 s safety-net
    // poll instead would put the median near 500 ms. (The p99 of 60 sends on a shared, loaded machine is one stall.)
    assert.ok(p50 < 250, `p50 ${p50} ms`);
  });

  it('pushes unread changes and read receipts caused on other nodes', async () => {
    const carol = await login(1, 'carol');
    const dave = await login(2, 'dave');
    const msg = dave.push('message', (f) => textOf(f) === 'from carol');
    await carol.call('send', {
      to: 'dave',
      msgRandom: random++,
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from carol' } }],
    });
    const pushed = await msg;
    assert.deepEqual(pushed.data!.unread, { peer: 'carol', conversation: 1, total: 1 });
    // Dave reads through REST on node 0: dave's device (node 2) gets the new counts, carol's (node 1) the receipt.
    const unread = dave.push('unread');
    const receipt = carol.push('peerRead');
    const r = await c.call(0, 'openim/admin_set_msg_read', { Report_Account: 'dave', Peer_Account: 'carol' });
    assert.equal(r.ErrorCode, 0);
    assert.deepEqual((await unread).data!.unread, { peer: 'carol', conversation: 0, total: 0 });
    assert.equal((await receipt).data!.peer, 'dave');
  });

  it('resumes a device that reconnects to another node from its cursor, without loss or duplicates', async () => {
    const first = await login(1, 'bob');
    for (let i = 0; i < 5; i++) assert.equal((await restSend(0, 'carol', 'bob', `before ${i}`)).ErrorCode, 0);
    await first.waitFor(() => seqs(first).length === 5, 5000);
    const cursor = String(seqs(first).at(-1));
    first.close();
    // While it is away, and while it logs in again on node 2, messages keep coming through nodes 0 and 1.
    const away = [];
    for (let i = 0; i < 30; i++) away.push(restSend(i % 2, 'carol', 'bob', `away ${i}`));
    await Promise.all(away);
    const during = [];
    const again = login(2, 'bob', cursor);
    for (let i = 0; i < 30; i++) during.push(restSend(i % 2, 'dave', 'bob', `during ${i}`));
    const second = await again;
    for (const r of await Promise.all(during)) assert.equal(r.ErrorCode, 0);
    const logged = (
      await c.sql<{ id: string }>(
        'SELECT id FROM sync_events WHERE app_id = $1 AND user_id = $2 AND id > $3 ORDER BY id',
        [APP, 'bob', cursor],
      )
    ).map((r) => Number(r.id));
    assert.equal(logged.length, 60);
    await second.waitFor(() => seqs(second).length >= logged.length, 10_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(seqs(second), logged, 'exactly the entries after the cursor, in order');
  });
});
