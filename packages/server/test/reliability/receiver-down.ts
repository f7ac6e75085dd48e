/**
 * Reliability scenario: the receiver is down while reports are written for `downSeconds`, then comes back on the same
 * port. Every acknowledged report must then be delivered, in order per user.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, startReceiver } from '../dispatch/helpers/receiver.ts';
import { adminQuery, closePools, importAccounts, post, startServerProc, until, writeConfig } from './harness.ts';
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
  /** Failed attempts by error, from `list_attempts` (what explains duplicates: a timeout after the receiver got it). */
  failedAttempts: Record<string, number>;
}

const APP = { sdkAppId: 1400000302, secretKey: 'reliability-down-key-0123456789abcdef' };

/** Failed attempts (outcome retry) by error text, digits folded, from the first 1,000 `list_attempts` gives. */
async function attemptErrors(url: string, query: string): Promise<Record<string, number>> {
  const r = await post(url, `/v4/readwire_callback/list_attempts?${query}`, { Outcome: 'retry', Limit: 1000 });
  const out: Record<string, number> = {};
  for (const a of (r.json.Attempts ?? []) as { Error: string | null }[]) {
    const key = (a.Error ?? 'none').replace(/\d+/g, 'N');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

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
      const failedAttempts = await attemptErrors(server.url, query);
      return {
        ...ledger(receiver.received, load.acked),
        firstCallbackAfterUpMs: first - upAt,
        drainMs,
        drained,
        failedAttempts,
      };
    } finally {
      await receiver.close();
    }
  } finally {
    await server.stop();
    await closePools();
    rmSync(dir, { recursive: true, force: true });
  }
}
