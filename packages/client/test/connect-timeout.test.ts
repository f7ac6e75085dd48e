/**
 * `connect()` gives up: a dead port, or a server that takes the TCP connection and never answers, makes it reject
 * after `connectTimeoutMs` with a `timeout` error naming the URL and the last failure; once logged in, a client keeps
 * reconnecting past that time.
 * @module
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ReadwireClient, ReadwireError, type ReadwireClientOptions } from '../src/index.ts';
import { APP, eventually, startProxy, startTestServer, type Proxy, type TestServer } from './helpers/test-server.ts';

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A TCP server that accepts connections and never sends a byte. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const s: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    port: (s.address() as { port: number }).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((r) => s.close(() => r()));
    },
  };
}

function client(url: string, o: Partial<ReadwireClientOptions> = {}): ReadwireClient {
  return new ReadwireClient({
    url,
    sdkAppId: APP,
    userId: 'u',
    userSig: 'unused',
    reconnect: { minDelayMs: 50, maxDelayMs: 200 },
    ...o,
  });
}

/** connect()'s rejection, the `error` event and how long it took. */
async function failedConnect(c: ReadwireClient): Promise<{ error: ReadwireError; emitted: ReadwireError; ms: number }> {
  const emitted = new Promise<ReadwireError>((resolve) => c.on('error', resolve));
  const started = performance.now();
  const error = await c.connect().then(
    () => assert.fail('connect() resolved'),
    (e: unknown) => e as ReadwireError,
  );
  return { error, emitted: await emitted, ms: performance.now() - started };
}

describe('connect timeout', () => {
  it('rejects on a dead port after connectTimeoutMs, saying where and why', async () => {
    const url = `ws://127.0.0.1:${await deadPort()}/v1/client`;
    const c = client(url, { connectTimeoutMs: 800 });
    const { error, emitted, ms } = await failedConnect(c);
    assert.ok(error instanceof ReadwireError);
    assert.equal(error.kind, 'timeout');
    assert.equal(emitted, error);
    assert.match(
      error.message,
      new RegExp(`could not connect to ${url.replace(/[/.]/g, '\\$&')} and log in within 800 ms`),
    );
    assert.match(error.message, /ECONNREFUSED/);
    assert.match(error.message, /\d+ attempts/);
    assert.ok(ms >= 780 && ms < 3000, `rejected after ${ms.toFixed(0)} ms`);
    assert.equal(c.state, 'closed');
  });

  it('rejects when the server takes the TCP connection and never answers', async () => {
    const silent = await silentServer();
    try {
      const c = client(`ws://127.0.0.1:${silent.port}/v1/client`, { connectTimeoutMs: 800 });
      const { error, ms } = await failedConnect(c);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /1 attempt; last: the server did not answer/);
      assert.ok(ms >= 780 && ms < 3000, `rejected after ${ms.toFixed(0)} ms`);
    } finally {
      await silent.close();
    }
  });

  it('defaults to 10 s', async () => {
    const c = client(`ws://127.0.0.1:${await deadPort()}/v1/client`);
    const started = performance.now();
    const settled = await Promise.race([
      c.connect().then(
        () => 'resolved',
        () => 'rejected',
      ),
      new Promise((r) => setTimeout(() => r('pending'), 2000)),
    ]);
    assert.equal(settled, 'pending', 'still trying after 2 s');
    await assert.rejects(
      new Promise((_, reject) => c.on('error', reject)),
      (e: ReadwireError) => e.kind === 'timeout' && /within 10000 ms/.test(e.message),
    );
    const ms = performance.now() - started;
    assert.ok(ms >= 9900 && ms < 13_000, `gave up after ${ms.toFixed(0)} ms`);
  });
});

describe('after a successful login', () => {
  let ts: TestServer;
  let proxy: Proxy;
  before(async () => {
    ts = await startTestServer();
    proxy = await startProxy(ts.server.port);
  });
  after(async () => {
    await proxy.close();
    await ts.close();
  });

  it('keeps reconnecting past connectTimeoutMs, as long as it takes', async () => {
    const c = ts.client('rio', {
      url: `ws://127.0.0.1:${proxy.port}/v1/client`,
      connectTimeoutMs: 300,
      reconnect: { minDelayMs: 50, maxDelayMs: 100 },
    });
    await c.connect();
    const errors: ReadwireError[] = [];
    c.on('error', (e) => errors.push(e));
    proxy.setDown(true);
    proxy.cut();
    await eventually(() => c.state === 'reconnecting');
    await new Promise((r) => setTimeout(r, 1200)); // four times connectTimeoutMs
    assert.equal(c.state, 'reconnecting');
    proxy.setDown(false);
    await eventually(() => c.state === 'online', 10_000);
    assert.deepEqual(errors, []);
    await c.close();
  });
});

describe('kicked by a newer login', () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ gateway: { maxConnectionsPerUser: 1 } });
  });
  after(() => ts.close());

  it('stops with kind kicked instead of reconnecting and kicking the newer device', async () => {
    const older = ts.client('sam', { reconnect: { minDelayMs: 50, maxDelayMs: 100 } });
    await older.connect();
    const kicked = new Promise<ReadwireError>((resolve) => older.on('error', resolve));
    const newer = ts.client('sam');
    await newer.connect();
    const error = await kicked;
    assert.equal(error.kind, 'kicked');
    assert.match(error.message, /kicked/);
    assert.equal(older.state, 'closed');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(newer.state, 'online');
  });
});
