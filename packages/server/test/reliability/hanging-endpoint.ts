/**
 * Reliability scenario: isolation. Apps A and B report reads at the same rate, each with its own callback endpoint.
 * First run: both endpoints healthy. Second run: A's endpoint accepts connections and never answers. B's delay from
 * commit to callback (p99) is compared between the runs.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hang, ok, startReceiver } from '../dispatch/helpers/receiver.ts';
import { adminQuery, closePools, importAccounts, startServerProc, writeConfig } from './harness.ts';
import { delays, ReportLoad } from './report-load.ts';

export interface HangingEndpointOptions {
  seconds: number;
  /** Reports per second per app. */
  rate: number;
  users: number;
}

export interface HangingRun {
  bP50Ms: number;
  bP99Ms: number;
  bCallbacks: number;
  aAcked: number;
  aDelivered: number;
}

export interface HangingEndpointFigures {
  healthy: HangingRun;
  hanging: HangingRun;
  /** B's p99 with A hanging over B's p99 with A healthy. */
  p99Ratio: number;
}

const A = { sdkAppId: 1400000303, secretKey: 'reliability-hang-key-a-0123456789abcd' };
const B = { sdkAppId: 1400000304, secretKey: 'reliability-hang-key-b-0123456789abcd' };

async function once(o: HangingEndpointOptions, aHangs: boolean): Promise<HangingRun> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-rel-hang-'));
  const ra = await startReceiver(aHangs ? hang : ok());
  const rb = await startReceiver(ok());
  const config = writeConfig(dir, [
    { ...A, callbackUrl: ra.url },
    { ...B, callbackUrl: rb.url },
  ]);
  const server = await startServerProc(config);
  try {
    const [qa, qb] = [await adminQuery(A), await adminQuery(B)];
    const users = Array.from({ length: o.users }, (_, i) => `h${i}`);
    await importAccounts(server.url, qa, [...users, 'peer']);
    await importAccounts(server.url, qb, [...users, 'peer']);
    const la = new ReportLoad(
      () => server.url,
      () => qa,
      users,
    );
    const lb = new ReportLoad(
      () => server.url,
      () => qb,
      users,
    );
    const workers = Math.min(8, o.users);
    const from = Date.now();
    await Promise.all([
      la.run(workers, o.seconds * 1000, o.rate / workers),
      lb.run(workers, o.seconds * 1000, o.rate / workers),
    ]);
    const to = Date.now();
    await new Promise((r) => setTimeout(r, 1000)); // the last callbacks of the window arrive
    const d = delays(rb.received, from, to);
    return { bP50Ms: d.p50, bP99Ms: d.p99, bCallbacks: d.n, aAcked: la.acked.size, aDelivered: ra.received.length };
  } finally {
    await server.stop();
    await ra.close();
    await rb.close();
    await closePools();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function hangingEndpoint(o: HangingEndpointOptions): Promise<HangingEndpointFigures> {
  const healthy = await once(o, false);
  const hanging = await once(o, true);
  return { healthy, hanging, p99Ratio: hanging.bP99Ms / healthy.bP99Ms };
}
