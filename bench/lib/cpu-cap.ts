/**
 * A CPU budget for one process, as a machine of its own would give it: a Linux cgroup with a CFS quota
 * (`cores` × the period), cgroup v1 (`/sys/fs/cgroup/cpu`) or v2 (`/sys/fs/cgroup` with the cpu controller).
 * Needs root. Every thread of the process, present and future, runs under the quota.
 * @module
 */
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PERIOD_US = 100_000;

/** Puts `pid` under a quota of `cores` CPUs; returns a function that removes the cgroup once the process has exited. */
export function capCpu(pid: number, cores: number, name: string): () => void {
  const quota = String(Math.round(cores * PERIOD_US));
  const v1 = '/sys/fs/cgroup/cpu';
  const v2 = '/sys/fs/cgroup';
  let dir: string;
  if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
    dir = join(v1, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), quota);
  } else if (existsSync(join(v2, 'cgroup.controllers'))) {
    dir = join(v2, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
  } else {
    throw new Error('--node-cpu needs a writable cgroup cpu controller (Linux, root)');
  }
  writeFileSync(join(dir, 'cgroup.procs'), String(pid));
  return () => {
    try {
      rmdirSync(dir);
    } catch {
      // Still busy or already gone: a leftover empty cgroup costs nothing.
    }
  };
}
