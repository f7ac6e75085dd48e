/**
 * Reliability scenario: `kill -9` twice under read-report load. The server is killed at a third and at two thirds of
 * the load and started again on the same database; afterwards every acknowledged report must have its callback, in
 * order per user. Duplicates (attempts in flight at a kill) are counted.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ok, startReceiver } from '../dispatch/helpers/receiver.ts';
import {
  adminQuery,
  closePools,
  importAccounts,
  startServerProc,
  until,
  writeConfig,
  type ServerProc,
} from './harness.ts';
import { allDelivered, ledger, ReportLoad, type Ledger } from './report-load.ts';

export interface KillTwiceOptions {
  /** Seconds of load in all (kills at 1/3 and 2/3). */
  seconds: number;
  workers: number;
  users: number;
}

export interface KillTwiceFigures extends Ledger {
  kills: number;
  restartMs: number[];
  failedRequests: number;
  drained: boolean;
}

const APP = { sdkAppId: 1400000301, secretKey: 'reliability-kill-key-0123456789abcdef' };

export async function killTwice(o: KillTwiceOptions): Promise<KillTwiceFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-rel-kill-'));
  const receiver = await startReceiver(ok());
  const config = writeConfig(dir, [{ ...APP, callbackUrl: receiver.url }]);
  let server: ServerProc | undefined = await startServerProc(config);
  try {
    const query = await adminQuery(APP);
    const users = Array.from({ length: o.users }, (_, i) => `k${i}`);
    await importAccounts(server.url, query, [...users, 'peer']);
    const load = new ReportLoad(
      () => server?.url,
      () => query,
      users,
    );
    const running = load.run(o.workers, o.seconds * 1000);
    const restartMs: number[] = [];
    for (let kill = 0; kill < 2; kill++) {
      await sleep((o.seconds * 1000) / 3);
      const s: ServerProc = server;
      server = undefined;
      await s.kill9();
      const t = Date.now();
      server = await startServerProc(config);
      restartMs.push(Date.now() - t);
    }
    await running;
    const drained = await until(() => allDelivered(receiver.received, load.acked), 120_000);
    await sleep(300); // late duplicates, if any, are counted too
    return { ...ledger(receiver.received, load.acked), kills: 2, restartMs, failedRequests: load.failed, drained };
  } finally {
    await server?.stop();
    await receiver.close();
    await closePools();
    rmSync(dir, { recursive: true, force: true });
  }
}
