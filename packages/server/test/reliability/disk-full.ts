/**
 * Reliability scenario: the disk fills up under read-report load. The database lives on a small tmpfs (mounted for
 * the run: needs root, else the scenario is skipped and says so) whose free space a ballast file takes; once writes
 * fail the ballast is removed. Every acknowledged report must have its callback, writes must succeed again once there
 * is space, and the database must pass `PRAGMA integrity_check` and serve after a restart.
 * @module
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ok, startReceiver } from '../dispatch/helpers/receiver.ts';
import { adminQuery, closePools, importAccounts, post, startServerProc, until, writeConfig } from './harness.ts';
import { allDelivered, ledger, ReportLoad, type Ledger } from './report-load.ts';

export interface DiskFullOptions {
  sizeMb: number;
  /** Seconds the load keeps going against the full disk before space returns. */
  fullSeconds: number;
  /** Seconds of load after space returned. */
  afterSeconds: number;
}

export type DiskFullFigures =
  | { skipped: string }
  | (Ledger & {
      skipped?: undefined;
      failuresByCode: Record<string, number>;
      ackedBeforeFull: number;
      ackedAfterSpaceReturned: number;
      drained: boolean;
      restartOk: boolean;
      integrity: string;
    });

const APP = { sdkAppId: 1400000305, secretKey: 'reliability-disk-key-0123456789abcdef' };

function mountTmpfs(mnt: string, sizeMb: number): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', mnt], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}); run as root`;
  }
}

export async function diskFull(o: DiskFullOptions): Promise<DiskFullFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-rel-disk-'));
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  const refused = mountTmpfs(mnt, o.sizeMb);
  if (refused) {
    rmSync(dir, { recursive: true, force: true });
    return { skipped: refused };
  }
  const receiver = await startReceiver(ok());
  const config = writeConfig(dir, [{ ...APP, callbackUrl: receiver.url }], { dbDir: mnt });
  let server = await startServerProc(config);
  try {
    const query = await adminQuery(APP);
    const users = Array.from({ length: 64 }, (_, i) => `f${i}`);
    await importAccounts(server.url, query, [...users, 'peer']);
    const ballast = join(mnt, 'ballast.bin');
    const fs = statfsSync(mnt);
    writeFileSync(ballast, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 384 * 1024)));
    const load = new ReportLoad(
      () => server.url,
      () => query,
      users,
    );
    const running = load.run(4, 10 * 60_000);
    await until(() => load.failed >= 20, 60_000);
    const ackedBeforeFull = load.acked.size;
    await sleep(o.fullSeconds * 1000);
    rmSync(ballast);
    const ackedAtFree = load.acked.size;
    await sleep(o.afterSeconds * 1000);
    load.stop();
    await running;
    const drained = await until(() => allDelivered(receiver.received, load.acked), 60_000);
    const figures = ledger(receiver.received, load.acked);
    await server.stop();
    server = await startServerProc(config);
    const again = await post(server.url, `/v4/openim/admin_set_msg_read?${query}`, {
      Report_Account: 'f0',
      Peer_Account: 'peer',
      MsgReadTime: 1_700_000_000,
    });
    await server.stop();
    const db = new Database(join(mnt, 'readwire.db'), { readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    db.close();
    return {
      ...figures,
      failuresByCode: Object.fromEntries(load.failures),
      ackedBeforeFull,
      ackedAfterSpaceReturned: load.acked.size - ackedAtFree,
      drained,
      restartOk: again.json.ErrorCode === 0,
      integrity,
    };
  } finally {
    await server.stop();
    await receiver.close();
    await closePools();
    try {
      execFileSync('umount', [mnt], { stdio: 'pipe' });
    } catch {
      // already unmounted
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
