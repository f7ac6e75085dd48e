// Child process of bench/gateway-load.ts: the load generator, kept out of the server's process. Commands over IPC:
//   { type: 'idle', …}   open `count` connections (logged in, for readwire) and keep them open
//   { type: 'active', …} run `pairs` sender/reader pairs and return the latencies
//   { type: 'exit' }
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { ReadwireClient } from '@readwire/client';
import { genUserSig } from '@readwire/sdk';

interface Setup {
  url: string;
  mode: 'readwire' | 'echo';
  app: number;
  secret: string;
}

const send = (m: unknown) => process.send!(m);
const idle: WebSocket[] = [];
const sig = (setup: Setup, userId: string) => genUserSig({ sdkAppId: setup.app, secretKey: setup.secret, userId });

/** Opens one connection; for readwire, logs it in and waits for the answer. */
async function openIdle(setup: Setup, userId: string): Promise<WebSocket> {
  const ws = new WebSocket(setup.url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (setup.mode === 'readwire') {
    const userSig = await sig(setup, userId);
    const answered = new Promise<void>((resolve, reject) => {
      ws.once('message', (data) => {
        const r = JSON.parse((data as Buffer).toString()) as { ok: boolean; error?: unknown };
        if (r.ok) resolve();
        else reject(new Error(`login failed: ${JSON.stringify(r.error)}`));
      });
    });
    ws.send(
      JSON.stringify({ id: 1, op: 'login', data: { sdkAppId: setup.app, userId, userSig, platform: 'Android' } }),
    );
    await answered;
  }
  ws.on('error', () => undefined);
  return ws;
}

/** Opens `count` idle connections, `concurrency` at a time. */
async function openMany(setup: Setup, count: number, concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        idle.push(await openIdle(setup, `idle-${i}`));
      }
    }),
  );
  return performance.now() - started;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Readwire: A sends to B; B marks read on receipt; A gets the receipt. Latencies in ms. */
async function activeReadwire(setup: Setup, pairs: number, messages: number, intervalMs: number, warmup: number) {
  const delivery: number[] = [];
  const receipt: number[] = [];
  const clients: ReadwireClient[] = [];
  const make = (userId: string) => {
    const c = new ReadwireClient({ url: setup.url, sdkAppId: setup.app, userId, userSig: () => sig(setup, userId) });
    clients.push(c);
    return c;
  };
  const runs = Array.from({ length: pairs }, async (_, p) => {
    const a = make(`sender-${p}`);
    const b = make(`reader-${p}`);
    await Promise.all([a.connect(), b.connect()]);
    const sentAt = new Map<number, number>();
    let readAt = 0;
    let count = 0;
    b.on('message', ({ message }) => {
      const now = performance.now();
      const t0 = sentAt.get(message.msgRandom);
      if (t0 !== undefined && count++ >= warmup) delivery.push(now - t0);
      readAt = performance.now();
      b.markRead(a.userId).catch(() => undefined);
    });
    a.on('peerRead', () => {
      if (readAt && count > warmup) receipt.push(performance.now() - readAt);
      readAt = 0;
    });
    await sleep(Math.random() * intervalMs);
    for (let i = 0; i < messages + warmup; i++) {
      const msgRandom = p * 1_000_000 + i;
      sentAt.set(msgRandom, performance.now());
      a.send(b.userId, `message ${i}`, { msgRandom }).catch(() => undefined);
      await sleep(intervalMs);
    }
    await sleep(500);
  });
  await Promise.all(runs);
  await Promise.all(clients.map((c) => c.close()));
  return { delivery, receipt };
}

/** Echo baseline: each sender sends a frame and times its echo. */
async function activeEcho(setup: Setup, pairs: number, messages: number, intervalMs: number, warmup: number) {
  const rtt: number[] = [];
  const sockets: WebSocket[] = [];
  await Promise.all(
    Array.from({ length: pairs }, async () => {
      const ws = await openIdle(setup, '');
      sockets.push(ws);
      let sentAt = 0;
      let count = 0;
      ws.on('message', () => {
        if (count++ >= warmup) rtt.push(performance.now() - sentAt);
      });
      await sleep(Math.random() * intervalMs);
      for (let i = 0; i < messages + warmup; i++) {
        sentAt = performance.now();
        ws.send(JSON.stringify({ id: i, op: 'echo', data: { text: `message ${i}` } }));
        await sleep(intervalMs);
      }
      await sleep(200);
    }),
  );
  for (const ws of sockets) ws.close();
  return { rtt };
}

/** Imports the idle users' accounts through REST, so first-login account creation is not counted as connection memory. */
async function importAccounts(setup: Setup, count: number): Promise<void> {
  const base = setup.url.replace('ws', 'http').replace('/v1/client', '');
  const adminSig = await sig(setup, 'administrator');
  const q = `sdkappid=${setup.app}&identifier=administrator&usersig=${adminSig}&random=1&contenttype=json`;
  for (let i = 0; i < count; i += 100) {
    const ids = Array.from({ length: Math.min(100, count - i) }, (_, j) => `idle-${i + j}`);
    const res = await fetch(`${base}/v4/im_open_login_svc/multiaccount_import?${q}`, {
      method: 'POST',
      body: JSON.stringify({ Accounts: ids }),
    });
    const r = (await res.json()) as { ErrorCode: number };
    if (r.ErrorCode !== 0) throw new Error(`multiaccount_import failed: ${JSON.stringify(r)}`);
  }
}

process.on('message', (m: Record<string, any>) => {
  const setup = m.setup as Setup;
  const run = async () => {
    switch (m.type) {
      case 'import':
        if (setup.mode === 'readwire') await importAccounts(setup, m.count as number);
        send({ type: 'imported' });
        break;
      case 'idle':
        send({ type: 'idle-done', ms: await openMany(setup, m.count as number, m.concurrency as number) });
        break;
      case 'active': {
        const args = [setup, m.pairs, m.messages, m.intervalMs, m.warmup] as const;
        send({
          type: 'active-done',
          ...(setup.mode === 'echo' ? await activeEcho(...args) : await activeReadwire(...args)),
        });
        break;
      }
      case 'close-idle':
        for (const ws of idle.splice(0)) ws.terminate();
        send({ type: 'closed' });
        break;
      case 'exit':
        process.exit(0);
    }
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
send({ type: 'started' });
