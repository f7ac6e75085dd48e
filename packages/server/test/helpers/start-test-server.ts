import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, startServer, type ConfigInput, type RunningServer } from '../../src/index.ts';
import { releaseStorage, storageFor } from './pg-test-db.ts';
import { tencentUserSig } from './tencent-sig.ts';

export const APP_ID = 1400000001;
export const APP_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const APP2_ID = 1400000002;
export const APP2_KEY = 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100';

/** A Tencent REST response. */
export type Reply = { ActionStatus: string; ErrorCode: number; ErrorInfo: string } & Record<string, any>;

export interface TestServer {
  server: RunningServer;
  url: string;
  dir: string;
  /** POSTs a REST command as the admin of `app` (default APP_ID) and returns the parsed envelope. */
  call(
    path: string,
    body: unknown,
    opts?: { app?: number; query?: Record<string, string>; raw?: string },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Starts a real server on 127.0.0.1:0 with a fresh SQLite file (or PostgreSQL schema, see `storageFor`) and two apps. */
export async function startTestServer(overrides: Partial<ConfigInput> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-test-'));
  const config = parseConfig({
    port: 0,
    logLevel: 'silent',
    storage: storageFor(dir),
    apps: [
      { sdkAppId: APP_ID, secretKey: APP_KEY, restRateLimit: 0 },
      { sdkAppId: APP2_ID, secretKey: APP2_KEY, restRateLimit: 0 },
    ],
    ...overrides,
  });
  const server = await startServer(config);
  const sigs = new Map<number, string>();
  const keys = new Map(config.apps.map((a) => [a.sdkAppId, a.secretKey]));
  return {
    server,
    url: server.url,
    dir,
    async call(path, body, opts = {}) {
      const app = opts.app ?? APP_ID;
      let sig = sigs.get(app);
      if (!sig) {
        sig = tencentUserSig(app, keys.get(app)!, 'administrator');
        sigs.set(app, sig);
      }
      const query = new URLSearchParams({
        sdkappid: String(app),
        identifier: 'administrator',
        usersig: sig,
        random: String(Math.floor(Math.random() * 4294967295)),
        contenttype: 'json',
        ...opts.query,
      });
      const res = await fetch(`${server.url}/v4/${path}?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: opts.raw ?? JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${path}`);
      return (await res.json()) as Reply;
    },
    async close() {
      await server.close();
      await releaseStorage(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A text message body. */
export function text(t: string) {
  return [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
}

let random = 1;
/** A sendmsg body from `from` to `to`. */
export function msg(from: string, to: string, t = 'hi', extra: Record<string, unknown> = {}) {
  return { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text(t), ...extra };
}
