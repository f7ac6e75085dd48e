import { genUserSig } from '@readwire/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, startServer, type ConfigInput, type RunningServer } from '../../../src/index.ts';
import { releaseStorage, storageFor } from '../../helpers/pg-test-db.ts';

export const APP_A = 1400000101;
export const APP_B = 1400000102;
export const KEY_A = 'dispatch-test-key-a-0123456789abcdef0123456789abcdef';
export const KEY_B = 'dispatch-test-key-b-0123456789abcdef0123456789abcdef';

/** Fast dispatcher settings for tests (short breaker waits, frequent polls). */
export const FAST_DISPATCHER = { pollIntervalMs: 200, breakerOpenMs: 200, breakerMaxOpenMs: 1000, stopGraceMs: 2000 };

/** A Tencent REST answer. */
export type Reply = { ActionStatus: string; ErrorCode: number; ErrorInfo: string } & Record<string, any>;

/** A running test server and a REST helper. */
export interface DispatchServer {
  server: RunningServer;
  dir: string;
  dbPath: string;
  /** POSTs `/v4/{path}` as the admin of `app` (default APP_A). */
  call(path: string, body: unknown, app?: number): Promise<Reply>;
  /** Imports accounts into `app`. */
  accounts(ids: string[], app?: number): Promise<void>;
  close(options?: { keepDir?: boolean }): Promise<void>;
}

const sigs = new Map<number, Promise<string>>();
function adminSig(app: number, key: string): Promise<string> {
  let s = sigs.get(app);
  if (!s) {
    s = genUserSig({ sdkAppId: app, secretKey: key, userId: 'administrator' });
    sigs.set(app, s);
  }
  return s;
}

/** The configuration of a test server with apps A and B (A's/B's callback given by the caller). */
export function testConfig(
  dir: string,
  overrides: Partial<ConfigInput> & { callbackA?: unknown; callbackB?: unknown } = {},
) {
  const { callbackA, callbackB, ...rest } = overrides;
  return {
    port: 0,
    logLevel: 'silent',
    allowPrivateCallbackUrls: true,
    storage: storageFor(dir),
    dispatcher: FAST_DISPATCHER,
    apps: [
      { sdkAppId: APP_A, secretKey: KEY_A, restRateLimit: 0, ...(callbackA ? { callback: callbackA } : {}) },
      { sdkAppId: APP_B, secretKey: KEY_B, restRateLimit: 0, ...(callbackB ? { callback: callbackB } : {}) },
    ],
    ...rest,
  } as ConfigInput;
}

/** Starts a real server (real SQLite file in a temp dir, port 0). */
export async function startDispatchServer(
  overrides: Partial<ConfigInput> & { callbackA?: unknown; callbackB?: unknown; dir?: string } = {},
): Promise<DispatchServer> {
  const { dir: given, ...rest } = overrides;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'readwire-dispatch-'));
  const config = parseConfig(testConfig(dir, rest));
  const server = await startServer(config);
  const keys = new Map<number, string>([
    [APP_A, KEY_A],
    [APP_B, KEY_B],
  ]);
  const call = async (path: string, body: unknown, app = APP_A): Promise<Reply> => {
    const sig = await adminSig(app, keys.get(app)!);
    const q = `sdkappid=${app}&identifier=administrator&usersig=${encodeURIComponent(sig)}&random=1&contenttype=json`;
    const res = await fetch(`${server.url}/v4/${path}?${q}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as Reply;
  };
  return {
    server,
    dir,
    dbPath: join(dir, 'readwire.db'),
    call,
    async accounts(ids, app = APP_A) {
      const r = await call('im_open_login_svc/multiaccount_import', { Accounts: ids }, app);
      if (r.ErrorCode !== 0) throw new Error(`account import failed: ${JSON.stringify(r)}`);
    },
    async close(options = {}) {
      await server.close();
      if (!options.keepDir) {
        await releaseStorage(dir);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `admin_set_msg_read` of `reporter` for the conversation with `peer`. */
export function report(s: DispatchServer, reporter: string, peer: string, readTime?: number, app = APP_A) {
  return s.call(
    'openim/admin_set_msg_read',
    { Report_Account: reporter, Peer_Account: peer, ...(readTime === undefined ? {} : { MsgReadTime: readTime }) },
    app,
  );
}
