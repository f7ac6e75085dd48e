/**
 * A real Readwire server on 127.0.0.1 with a temporary SQLite file, one app, and helpers to mint UserSigs, log raw
 * clients in, call the REST API and read the callback outbox.
 * @module
 */
import { genUserSig } from '@readwire/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientOptions } from 'ws';
import { parseConfig, startServer, type RunningServer } from '../../../src/index.ts';
import { RawClient } from './raw-client.ts';

export const APP = 1400000123;
export const SECRET = 'gateway-test-secret-key-0123456789';

/** Settings a test may override. */
export interface FixtureOptions {
  gateway?: Record<string, unknown>;
  trustedProxies?: string[];
  callback?: { url: string; commands: string[]; token?: string };
}

/** A running server and its helpers. */
export interface GatewayFixture {
  server: RunningServer;
  /** `ws://127.0.0.1:port/v1/client` */
  wsUrl: string;
  sig(userId: string, options?: { expireSeconds?: number; now?: number }): Promise<string>;
  /** A raw client, logged in as `userId` (with `platform`, resuming from `cursor` if given). */
  login(userId: string, extra?: { platform?: string; cursor?: string }, options?: ClientOptions): Promise<RawClient>;
  /** Calls a REST command as the admin (`openim/` unless `command` names its service); returns the envelope. */
  rest(command: string, body: unknown): Promise<Record<string, any>>;
  /** Rows of the callback outbox. */
  callbacks(command?: string): Promise<{ body: Record<string, any>; client_ip: string; opt_platform: string }[]>;
  close(): Promise<void>;
}

/** Starts a server for one test file. */
export async function startFixture(options: FixtureOptions = {}): Promise<GatewayFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-gateway-'));
  const server = await startServer(
    parseConfig({
      port: 0,
      logLevel: 'silent',
      storage: { sqlite: { path: join(dir, 'readwire.db'), synchronous: 'NORMAL' } },
      allowPrivateCallbackUrls: true,
      trustedProxies: options.trustedProxies ?? [],
      gateway: options.gateway ?? {},
      apps: [{ sdkAppId: APP, secretKey: SECRET, admin: 'admin', restRateLimit: 0, callback: options.callback }],
    }),
  );
  const wsUrl = `${server.url.replace('http', 'ws')}/v1/client`;
  const sig = (userId: string, o: { expireSeconds?: number; now?: number } = {}) =>
    genUserSig({ sdkAppId: APP, secretKey: SECRET, userId, ...o });
  const adminSig = await sig('admin');
  return {
    server,
    wsUrl,
    sig,
    async login(userId, extra = {}, wsOptions) {
      const c = await RawClient.connect(wsUrl, wsOptions);
      await c.call('login', { sdkAppId: APP, userId, userSig: await sig(userId), platform: 'Web', ...extra });
      return c;
    },
    async rest(command, body) {
      const path = command.includes('/') ? command : `openim/${command}`;
      const url = `${server.url}/v4/${path}?sdkappid=${APP}&identifier=admin&usersig=${adminSig}&random=1&contenttype=json`;
      const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
      return (await res.json()) as Record<string, any>;
    },
    async callbacks(command) {
      const rows = await server.store.inspect<{ body: string; client_ip: string; opt_platform: string }>(
        'SELECT body, client_ip, opt_platform FROM callback_events ORDER BY id',
      );
      return rows
        .map((r) => ({ ...r, body: JSON.parse(r.body) as Record<string, any> }))
        .filter((r) => command === undefined || r.body.CallbackCommand === command);
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A text message body. */
export function text(t: string): { MsgType: string; MsgContent: { Text: string } }[] {
  return [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
}

let random = 1;
/** `send` data from the logged-in user to `to`. */
export function sendData(to: string, t: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { to, msgRandom: random++, body: text(t), ...extra };
}
