/**
 * Reliability scenario: the receiver is down while reports are written for `downSeconds`, then comes back on the same
 * port. Every acknowledged report must then be delivered, in order per user.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, startReceiver } from '../dispatch/helpers/receiver.ts';
import { adminQuery, closePools, importAccounts, startServerProc, until, writeConfig } from './harness.ts';
import { allDelivered, ledger, ReportLoad, type Ledger } from './report-load.ts';

export interface ReceiverDownOptions {
  downSeconds: number;
  /** Reports per second while the receiver is down. */
  rate: number;
  users: number;
  /** Dispatcher settings (the full form uses the defaults: breaker probes up to 30 s apart). */
  dispatcher?: Record<string, unknown>;
}

export interface ReceiverDownFigures extends Ledger {
  firstCallbackAfterUpMs: number;
  drainMs: number;
  drained: boolean;
}

const APP = { sdkAppId: 1400000302, secretKey: 'reliability-down-key-0123456789abcdef' };

export async function receiverDown(o: ReceiverDownOptions): Promise<ReceiverDownFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-rel-down-'));
  const probe = await startReceiver(ok());
  const port = probe.port;
  await probe.close();
  const config = writeConfig(dir, [{ ...APP, callbackUrl: `http://127.0.0.1:${port}/cb` }], {
    dispatcher: o.dispatcher,
  });
  const server = await startServerProc(config);
  try {
    const query = await adminQuery(APP);
    const users = Array.from({ length: o.users }, (_, i) => `d${i}`);
    await importAccounts(server.url, query, [...users, 'peer']);
    const load = new ReportLoad(
      () => server.url,
      () => query,
      users,
    );
    const workers = Math.min(8, o.users);
    await load.run(workers, o.downSeconds * 1000, o.rate / workers);
    const receiver = await startReceiver(ok(), port);
    const upAt = Date.now();
    try {
      const drained = await until(() => allDelivered(receiver.received, load.acked), 180_000);
      const drainMs = Date.now() - upAt;
      const first = receiver.received[0]?.at ?? Number.NaN;
      return { ...ledger(receiver.received, load.acked), firstCallbackAfterUpMs: first - upAt, drainMs, drained };
    } finally {
      await receiver.close();
    }
  } finally {
    await server.stop();
    await closePools();
    rmSync(dir, { recursive: true, force: true });
  }
}
