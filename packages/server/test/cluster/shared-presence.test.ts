/**
 * Online status across real server processes on one schema: `openim/query_online_status` on any node sees the devices
 * logged in to every node's client gateway, with per-platform detail, and a device that logs out stops counting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { RawClient } from '../gateway/helpers/raw-client.ts';
import { APP, startCluster, type Cluster } from './helpers/cluster.ts';

let c: Cluster;
const clients: RawClient[] = [];

before(async () => {
  c = await startCluster({ nodes: 2 });
  await c.accounts(['alice', 'bob', 'carol']);
});
after(async () => {
  for (const x of clients) x.close();
  await c?.close();
});

async function login(node: number, userId: string, platform: string): Promise<RawClient> {
  const x = await RawClient.connect(c.nodes[node]!.wsUrl);
  clients.push(x);
  await x.call('login', { sdkAppId: APP, userId, userSig: await c.sig(userId), platform });
  return x;
}

type Status = { To_Account: string; Status: string; Detail?: { Platform: string; Status: string }[] };
async function status(node: number): Promise<Status[]> {
  const r = await c.call(node, 'openim/query_online_status', {
    To_Account: ['alice', 'bob', 'carol'],
    IsNeedDetail: 1,
  });
  assert.equal(r.ErrorCode, 0);
  return r.QueryResult as Status[];
}
const summary = (rows: Status[]) =>
  rows.map(
    (r) =>
      `${r.To_Account}:${r.Status}:${(r.Detail ?? [])
        .map((d) => d.Platform)
        .sort()
        .join('+')}`,
  );

describe('online status across nodes', () => {
  it('every node sees the devices of every node, and a logout on one node is seen on the other', async () => {
    const aliceWeb = await login(1, 'alice', 'Web');
    await login(0, 'alice', 'Android');
    await login(0, 'bob', 'iOS');
    const expected = ['alice:Online:Android+Web', 'bob:Online:iPhone', 'carol:Offline:'];
    for (const node of [0, 1]) {
      await waitFor(async () => summary(await status(node)).join() === expected.join(), `node ${node} sees everyone`);
    }
    aliceWeb.close();
    await waitFor(
      async () =>
        summary(await status(0)).join() === ['alice:Online:Android', 'bob:Online:iPhone', 'carol:Offline:'].join(),
      'the logout on node 1 is seen on node 0',
    );
    const older = await c.call(0, 'openim/querystate', { To_Account: ['bob'] });
    assert.deepEqual(older.QueryResult, [{ To_Account: 'bob', State: 'Online' }]);
  });

  it('a node that stops takes its devices with it', async () => {
    const t0 = performance.now();
    await login(1, 'carol', 'Web');
    await waitFor(
      async () => (await status(0)).find((r) => r.To_Account === 'carol')?.Status === 'Online',
      'carol online',
    );
    console.log(`a login on node 1 read as online on node 0 after ${(performance.now() - t0).toFixed(0)} ms`);
    await c.kill(1, 'SIGTERM');
    await waitFor(
      async () => (await status(0)).find((r) => r.To_Account === 'carol')?.Status === 'Offline',
      'carol offline once node 1 stopped',
    );
  });

  it('the devices of a node killed outright stop counting once its heartbeat is stale', async () => {
    const third = await c.addNode();
    await login(third.index, 'carol', 'Mac');
    await waitFor(
      async () => (await status(0)).find((r) => r.To_Account === 'carol')?.Status === 'Online',
      'carol online',
    );
    const t0 = Date.now();
    await c.kill(third.index, 'SIGKILL');
    await waitFor(
      async () => (await status(0)).find((r) => r.To_Account === 'carol')?.Status === 'Offline',
      'carol offline once the killed node’s heartbeat is stale',
    );
    const took = Date.now() - t0;
    console.log(`a SIGKILLed node's devices read as offline after ${took} ms`);
    assert.ok(took < 15_000, `${took} ms`);
  });
});
