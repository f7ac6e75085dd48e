import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRestClient, genUserSig, type RestClient } from '@readwire/sdk';
import { spawnCli, STARTED, type CliProcess } from '../../../server/test/helpers/spawn-cli.ts';

/** The app every console test uses. */
export const APP = { sdkAppId: 1400000777, secretKey: 'console-test-secret-key-0123456789', admin: 'administrator' };
/** A second app without callbacks, for the app picker. */
export const OTHER_APP = { sdkAppId: 1400000888, secretKey: 'console-other-secret-key-0123456789', admin: 'ops' };

/** A `readwire serve` child with its REST client and an admin login link. */
export interface ConsoleServer {
  url: string;
  cli: CliProcess;
  rest: RestClient;
  /**
   * `/console#app=…&id=…&sig=…` for an app's admin (default {@link APP}), with a UserSig valid for `expireSeconds`
   * (default 1 hour).
   */
  loginLink(expireSeconds?: number, app?: typeof APP): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the real CLI (`readwire serve --config`) on an ephemeral port with a temporary SQLite database, private
 * callback URLs allowed (the receiver is on 127.0.0.1) and a short retry schedule: 3 retries 1 s apart.
 */
export async function startConsoleServer(callbackUrl: string): Promise<ConsoleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-console-'));
  const config = {
    host: '127.0.0.1',
    port: 0,
    storage: { sqlite: { path: join(dir, 'readwire.db') } },
    allowPrivateCallbackUrls: true,
    dispatcher: { retryJitter: 0, breakerFailureThreshold: 1000 },
    apps: [
      {
        ...APP,
        callback: {
          url: callbackUrl,
          commands: ['C2C.CallbackAfterMsgReport', 'C2C.CallbackAfterSendMsg'],
          timeoutMs: 1000,
          retry: [1, 1, 1],
        },
      },
      OTHER_APP,
    ],
  };
  const file = join(dir, 'readwire.json');
  writeFileSync(file, JSON.stringify(config));
  const cli = spawnCli(['serve', '--config', file, '--log-format', 'json'], dir);
  const url = (await cli.waitFor(STARTED))[1]!;
  const rest = createRestClient({ baseUrl: url, sdkAppId: APP.sdkAppId, secretKey: APP.secretKey });
  return {
    url,
    cli,
    rest,
    async loginLink(expireSeconds = 3600, app = APP) {
      const sig = await genUserSig({
        sdkAppId: app.sdkAppId,
        secretKey: app.secretKey,
        userId: app.admin,
        expireSeconds,
      });
      const frag = new URLSearchParams({ app: String(app.sdkAppId), id: app.admin, sig });
      return `${url}/console#${frag.toString()}`;
    },
    async close() {
      cli.child.kill('SIGTERM');
      const timer = setTimeout(() => cli.child.kill('SIGKILL'), 10_000);
      await cli.exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
