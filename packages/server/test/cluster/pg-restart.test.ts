/**
 * PostgreSQL restarted under load, with two nodes on it. Opt-in (`READWIRE_TEST_PG_RESTART=1 npm test -- pg-restart`):
 * it creates a PostgreSQL instance of its own (initdb, a free port) and restarts that one, so the shared instance that
 * other tests use is never touched; it takes about 15 s.
 *
 * While the database is down: `/healthz` answers 503, every REST call is answered with a Tencent envelope (91000), no
 * acknowledged write is lost; once it is back, both nodes recover by themselves (REST, `/healthz`, callbacks, pushes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { slow, startReceiver, type Receiver } from '../dispatch/helpers/receiver.ts';
import { waitFor } from '../dispatch/helpers/wait-for.ts';
import { RawClient } from '../gateway/helpers/raw-client.ts';
import { APP, startCluster, type Cluster } from './helpers/cluster.ts';
import { startPrivatePostgres, type PrivatePostgres } from './helpers/private-postgres.ts';

const enabled = process.env.READWIRE_TEST_PG_RESTART === '1';
let pgi: PrivatePostgres | undefined;
let c: Cluster | undefined;
let receiver: Receiver | undefined;

before(async () => {
  if (!enabled) return;
  pgi = await startPrivatePostgres();
  receiver = await startReceiver(slow(5));
  c = await startCluster({
    nodes: 2,
    url: pgi.url,
    callback: { url: `${receiver.url}/cb`, commands: ['C2C.CallbackAfterSendMsg'], timeoutMs: 500 },
  });
  await c.accounts(['a', 'b', 'c', 'd']);
});
after(async () => {
  await c?.close();
  await receiver?.close();
  pgi?.stop();
});

describe('PostgreSQL restarted under load', { skip: !enabled && 'set READWIRE_TEST_PG_RESTART=1 to run' }, () => {
  it('fails requests with envelopes and 503 health meanwhile, loses no acknowledged write, and recovers', async () => {
    const cl = c!;
    const device = await RawClient.connect(cl.nodes[1]!.wsUrl);
    await device.call('login', { sdkAppId: APP, userId: 'd', userSig: await cl.sig('d'), platform: 'Web' });
    const acknowledged = new Set<string>();
    const failures = new Map<number, number>();
    const health = new Map<number, number>();
    let stop = false;
    let random = 1;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const to = ['b', 'c', 'd'][i % 3]!;
        const r = await cl.call((w + i) % 2, 'openim/sendmsg', {
          From_Account: 'a',
          To_Account: to,
          MsgRandom: random++,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `w${w} ${i}` } }],
        });
        if (r.ErrorCode === 0) acknowledged.add(r.MsgKey as string);
        else {
          failures.set(r.ErrorCode, (failures.get(r.ErrorCode) ?? 0) + 1);
          await new Promise((res) => setTimeout(res, 10));
        }
      }
    };
    const prober = async () => {
      while (!stop) {
        for (const n of cl.nodes) {
          const s = (await fetch(`${n.url}/healthz`)).status;
          health.set(s, (health.get(s) ?? 0) + 1);
        }
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    const load = [...Array.from({ length: 6 }, (_, w) => worker(w)), prober()];
    await waitFor(() => acknowledged.size >= 200, '200 sends acknowledged', 20_000);
    const t0 = Date.now();
    await pgi!.restart();
    const restartMs = Date.now() - t0;
    // Both nodes recover by themselves: /healthz 200 and a REST call answered OK on each.
    await waitFor(
      async () => {
        for (const n of cl.nodes) if ((await fetch(`${n.url}/healthz`)).status !== 200) return false;
        return true;
      },
      'both nodes healthy again',
      20_000,
      50,
    );
    const healthyMs = Date.now() - t0;
    const atRecovery = acknowledged.size;
    await waitFor(() => acknowledged.size >= atRecovery + 200, '200 more sends after the restart', 20_000);
    stop = true;
    await Promise.all(load);

    assert.ok((health.get(503) ?? 0) > 0, `/healthz answered ${JSON.stringify([...health])}`);
    assert.deepEqual(
      [...failures.keys()].filter((code) => code !== 91000),
      [],
      'only 91000 while the database was down',
    );
    const stored = new Set(
      (await cl.sql<{ msg_key: string }>('SELECT DISTINCT msg_key FROM messages')).map((r) => r.msg_key),
    );
    const lost = [...acknowledged].filter((k) => !stored.has(k));
    assert.deepEqual(lost, [], 'every acknowledged send is stored');
    // Callbacks of every stored send are delivered, and the device on node 1 still gets pushes.
    const events = Number((await cl.sql<{ n: string }>('SELECT count(*) AS n FROM callback_events'))[0]!.n);
    await waitFor(
      async () => (await cl.sql(`SELECT 1 FROM callback_events WHERE state <> 'delivered' LIMIT 1`)).length === 0,
      'every callback delivered after the restart',
      30_000,
    );
    const last = device.push('message', (f) => f.data?.message?.body?.[0]?.MsgContent?.Text === 'after');
    const r = await cl.call(0, 'openim/sendmsg', {
      From_Account: 'a',
      To_Account: 'd',
      MsgRandom: random++,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'after' } }],
    });
    assert.equal(r.ErrorCode, 0);
    await last;
    device.close();
    console.log(
      `restart: pg_ctl restart took ${restartMs} ms, both nodes healthy ${healthyMs} ms after it began; ` +
        `${acknowledged.size} acknowledged, failures ${JSON.stringify([...failures])}, health ${JSON.stringify([...health])}, ${events} callbacks`,
    );
  });
});
