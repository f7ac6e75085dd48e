/**
 * Reliability scenario: REST latency while an unauthenticated attacker runs flat out in another process — the
 * pre-login WebSocket flood, REST UserSig decompression bombs, gateway login-frame bombs — next to the same probe with
 * no attacker. The probe reports reads one at a time at `probeRate`/s and measures each call; the server's resident
 * memory is read before and after.
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery, closePools, importAccounts, quantile, startServerProc, writeConfig } from './harness.ts';
import { ReportLoad } from './report-load.ts';

export interface UnderAttackOptions {
  seconds: number;
  probeRate: number;
}

export interface AttackRun {
  attack: string;
  restP50Ms: number;
  restP99Ms: number;
  restMaxMs: number;
  probes: number;
  probeFailures: number;
  serverRssMb: number;
  attacker: Record<string, unknown> | undefined;
}

const APP = { sdkAppId: 1400000306, secretKey: 'reliability-attack-key-0123456789abc' };
const ATTACKER = fileURLToPath(new URL('./attacker.mjs', import.meta.url));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function startAttacker(mode: string, url: string, ms: number): Promise<Record<string, unknown> | undefined> {
  const child = spawn(process.execPath, [ATTACKER, mode, url, String(ms), String(APP.sdkAppId)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) =>
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Record<string, unknown>);
      } catch {
        resolve(undefined);
      }
    }),
  );
}

export async function underAttack(o: UnderAttackOptions): Promise<AttackRun[]> {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-rel-attack-'));
  const server = await startServerProc(writeConfig(dir, [APP]));
  try {
    const query = await adminQuery(APP);
    const users = Array.from({ length: 16 }, (_, i) => `p${i}`);
    await importAccounts(server.url, query, [...users, 'peer']);
    const runs: AttackRun[] = [];
    for (const attack of ['none', 'flood', 'rest-bomb', 'login-bomb']) {
      const attacker =
        attack === 'none' ? Promise.resolve(undefined) : startAttacker(attack, server.url, o.seconds * 1000 + 1500);
      // Give the attacker's process time to start and reach full speed before measuring.
      if (attack !== 'none') await new Promise((r) => setTimeout(r, 1500));
      const probe = new ReportLoad(
        () => server.url,
        () => query,
        users,
      );
      await probe.run(1, o.seconds * 1000, o.probeRate);
      runs.push({
        attack,
        restP50Ms: quantile(probe.restMs, 0.5),
        restP99Ms: quantile(probe.restMs, 0.99),
        restMaxMs: Math.max(...probe.restMs),
        probes: probe.restMs.length,
        probeFailures: probe.failed,
        serverRssMb: rssMb(server.pid),
        attacker: await attacker,
      });
    }
    return runs;
  } finally {
    await server.stop();
    await closePools();
    rmSync(dir, { recursive: true, force: true });
  }
}
