/**
 * A real Readwire server for the client's tests (127.0.0.1, temporary SQLite file), a callback receiver, UserSigs,
 * and a TCP proxy that can cut connections to simulate a dropped network.
 * @module
 */
import { genUserSig } from '@readwire/sdk';
import { parseConfig, startServer, type RunningServer } from '@readwire/server';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadwireClient, type ReadwireClientOptions } from '../../src/index.ts';

export const APP = 1400000777;
export const SECRET = 'client-test-secret-key-0123456789';

/** A callback POST as received. */
export interface ReceivedCallback {
  query: URLSearchParams;
  body: Record<string, any>;
}

/** A node:http receiver on 127.0.0.1 that answers every callback with OK and records it. */
export async function startReceiver(): Promise<{ url: string; received: ReceivedCallback[]; close(): Promise<void> }> {
  const received: ReceivedCallback[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ query: new URL(req.url ?? '/', 'http://x').searchParams, body: JSON.parse(body || '{}') });
      res.setHeader('content-type', 'application/json');
      res.end('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/im-callback`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A running server plus helpers. */
export interface TestServer {
  server: RunningServer;
  wsUrl: string;
  sig(userId: string, expireSeconds?: number): Promise<string>;
  client(userId: string, options?: Partial<ReadwireClientOptions>): ReadwireClient;
  rest(command: string, body: unknown): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/** Starts a server (optionally with a callback URL for `callbackCommands`, default `C2C.CallbackAfterMsgReport`). */
export async function startTestServer(
  options: { callbackUrl?: string; callbackCommands?: string[]; gateway?: Record<string, unknown> } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-client-'));
  const server = await startServer(
    parseConfig({
      port: 0,
      logLevel: 'silent',
      storage: { sqlite: { path: join(dir, 'readwire.db'), synchronous: 'NORMAL' } },
      allowPrivateCallbackUrls: true,
      gateway: options.gateway ?? {},
      apps: [
        {
          sdkAppId: APP,
          secretKey: SECRET,
          admin: 'admin',
          restRateLimit: 0,
          ...(options.callbackUrl
            ? {
                callback: {
                  url: options.callbackUrl,
                  commands: options.callbackCommands ?? ['C2C.CallbackAfterMsgReport'],
                },
              }
            : {}),
        },
      ],
    }),
  );
  const wsUrl = `${server.url.replace('http', 'ws')}/v1/client`;
  const sig = (userId: string, expireSeconds?: number) =>
    genUserSig({ sdkAppId: APP, secretKey: SECRET, userId, ...(expireSeconds ? { expireSeconds } : {}) });
  const clients: ReadwireClient[] = [];
  const adminSig = await sig('admin');
  return {
    server,
    wsUrl,
    sig,
    client(userId, o = {}) {
      const c = new ReadwireClient({ url: wsUrl, sdkAppId: APP, userId, userSig: () => sig(userId), ...o });
      clients.push(c);
      return c;
    },
    async rest(command, body) {
      const q = `sdkappid=${APP}&identifier=admin&usersig=${adminSig}&random=1&contenttype=json`;
      const res = await fetch(`${server.url}/v4/openim/${command}?${q}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, any>;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy to a server. */
export interface Proxy {
  port: number;
  /** Destroys every connection through the proxy (the network drops). */
  cut(): void;
  /** While down, new connections are refused; `cut` + `setDown(true)` is an outage. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Starts a TCP proxy to `targetPort` on 127.0.0.1. */
export async function startProxy(targetPort: number): Promise<Proxy> {
  const pairs = new Set<[Socket, Socket]>();
  let down = false;
  const server = createTcpServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const cut = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    port: (server.address() as { port: number }).port,
    cut,
    setDown(value) {
      down = value;
    },
    close() {
      cut();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Resolves with the next `event` of `client` (or rejects after `timeoutMs`). */
export function next<T = any>(
  client: ReadwireClient,
  event: 'message' | 'unread' | 'peerRead' | 'readReceipt' | 'modify' | 'withdraw' | 'synced' | 'resync' | 'error',
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} on ${client.userId} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    client.once(event, ((arg: T) => {
      clearTimeout(timer);
      resolve(arg);
    }) as never);
  });
}

/** Polls `fn` until it returns a truthy value. */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
