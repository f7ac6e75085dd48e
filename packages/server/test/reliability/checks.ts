/**
 * The invariants the reliability suite asserts on each scenario's figures (the runner prints them, the test fails on
 * them). Each returns the problems found; an empty list means the scenario held.
 * @module
 */
import type { DiskFullFigures } from './disk-full.ts';
import type { HangingEndpointFigures } from './hanging-endpoint.ts';
import type { KillTwiceFigures } from './kill-twice.ts';
import type { ReceiverDownFigures } from './receiver-down.ts';
import type { Ledger } from './report-load.ts';
import type { AttackRun } from './under-attack.ts';

function delivery(l: Ledger, drained: boolean): string[] {
  const p: string[] = [];
  if (l.acked === 0) p.push('no report was acknowledged');
  if (l.lost > 0 || !drained) p.push(`${l.lost} acknowledged reports never delivered`);
  if (l.orderViolations > 0) p.push(`${l.orderViolations} per-user order violations`);
  return p;
}

export const checkKill = (f: KillTwiceFigures): string[] => delivery(f, f.drained);

export const checkDown = (f: ReceiverDownFigures): string[] => delivery(f, f.drained);

/** B's p99 with A hanging within `factor` × its p99 with A healthy (or within `slackMs` of it, for tiny p99s). */
export function checkHang(f: HangingEndpointFigures, factor = 2, slackMs = 0): string[] {
  const limit = Math.max(f.healthy.bP99Ms * factor, f.healthy.bP99Ms + slackMs);
  const p: string[] = [];
  if (f.hanging.bCallbacks === 0) p.push('app B got no callbacks while A hung');
  if (!(f.hanging.bP99Ms <= limit)) {
    p.push(`app B p99 ${f.hanging.bP99Ms.toFixed(0)} ms with A hanging, limit ${limit.toFixed(0)} ms`);
  }
  return p;
}

export function checkDisk(f: DiskFullFigures): string[] {
  if (f.skipped !== undefined) return [];
  const p = delivery(f, f.drained);
  if (f.ackedAfterSpaceReturned === 0) p.push('no write succeeded after space returned');
  if (Object.keys(f.failuresByCode).some((k) => k === 'error' || k.startsWith('http'))) {
    p.push(`answers that were not a Tencent envelope: ${JSON.stringify(f.failuresByCode)}`);
  }
  if (!f.restartOk) p.push('the server did not serve a write after a restart');
  if (f.integrity !== 'ok') p.push(`integrity_check: ${f.integrity}`);
  return p;
}

/** REST p99 under each attack at most `limitMs` (and every probe answered). */
export function checkAttack(runs: AttackRun[], limitMs: number): string[] {
  const p: string[] = [];
  for (const r of runs) {
    if (r.probeFailures > 0) p.push(`${r.attack}: ${r.probeFailures} probe calls failed`);
    if (r.attack !== 'none' && !(r.restP99Ms <= limitMs)) {
      p.push(`${r.attack}: REST p99 ${r.restP99Ms.toFixed(1)} ms over ${limitMs} ms`);
    }
  }
  return p;
}
