/**
 * The read-report load of the reliability suite and the analysis of what the receiver got. Each worker owns its own
 * users and reports their reads one at a time with a growing `MsgReadTime`, so every acknowledged report has one
 * callback with a known `(Report_Account, LastReadTime)`, and per user the callbacks must arrive in that order.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Received } from '../dispatch/helpers/receiver.ts';
import { post, quantile } from './harness.ts';

/** Read reports against whatever server `target()` names (undefined while it is down). */
export class ReportLoad {
  /** `user:readTime` of every acknowledged report. */
  readonly acked = new Set<string>();
  /** REST answers other than OK, by ErrorCode (or `http <status>`, `error`). */
  readonly failures = new Map<string, number>();
  /** REST latency (ms) of acknowledged reports. */
  readonly restMs: number[] = [];
  private readonly seq = new Map<string, number>();
  private stopped = false;

  private readonly target: () => string | undefined;
  private readonly query: () => string;
  readonly users: string[];

  constructor(target: () => string | undefined, query: () => string, users: string[]) {
    this.target = target;
    this.query = query;
    this.users = users;
  }

  /** Runs `workers` loops until `stop()`, or `ms`; each at most `ratePerWorker` reports/s when given. */
  async run(workers: number, ms: number, ratePerWorker = 0): Promise<void> {
    this.stopped = false;
    const end = Date.now() + ms;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const mine = this.users.filter((_u, i) => i % workers === w);
        for (let i = 0; !this.stopped && Date.now() < end; i++) {
          const started = Date.now();
          await this.one(mine[i % mine.length]!);
          if (ratePerWorker > 0) await sleep(Math.max(0, 1000 / ratePerWorker - (Date.now() - started)));
        }
      }),
    );
  }

  stop(): void {
    this.stopped = true;
  }

  get failed(): number {
    let n = 0;
    for (const v of this.failures.values()) n += v;
    return n;
  }

  private async one(user: string): Promise<void> {
    const url = this.target();
    if (!url) {
      await sleep(20);
      return;
    }
    const readTime = (this.seq.get(user) ?? 1_600_000_000) + 1;
    this.seq.set(user, readTime);
    const started = performance.now();
    try {
      const r = await post(url, `/v4/openim/admin_set_msg_read?${this.query()}`, {
        Report_Account: user,
        Peer_Account: 'peer',
        MsgReadTime: readTime,
      });
      if (r.status === 200 && r.json.ErrorCode === 0) {
        this.acked.add(`${user}:${readTime}`);
        this.restMs.push(performance.now() - started);
      } else this.count(r.status === 200 ? String(r.json.ErrorCode) : `http ${r.status}`);
    } catch {
      this.count('error');
      await sleep(20);
    }
  }

  private count(key: string): void {
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }
}

/** What a receiver got, judged against the acknowledged reports. */
export interface Ledger {
  acked: number;
  received: number;
  distinct: number;
  duplicates: number;
  /** Acknowledged reports whose callback never arrived. */
  lost: number;
  /** Callbacks of reports that committed but whose answer was lost (a kill in between): not an error. */
  unacknowledgedDelivered: number;
  /** Callbacks that arrived after a later report of the same user (first arrivals only). */
  orderViolations: number;
}

/** Read-report callbacks of `received`, keyed `Report_Account:LastReadTime`. */
function reports(received: Received[]): { key: string; user: string; time: number; r: Received }[] {
  return received
    .filter((r) => r.json?.CallbackCommand === 'C2C.CallbackAfterMsgReport')
    .map((r) => ({
      key: `${r.json.Report_Account}:${r.json.LastReadTime}`,
      user: r.json.Report_Account,
      time: r.json.LastReadTime,
      r,
    }));
}

/** Loss, duplicates and per-user order of the callbacks `received` for the reports in `acked`. */
export function ledger(received: Received[], acked: Set<string>): Ledger {
  const all = reports(received);
  const seen = new Set<string>();
  const highest = new Map<string, number>();
  let orderViolations = 0;
  for (const c of all) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    if (c.time < (highest.get(c.user) ?? 0)) orderViolations++;
    highest.set(c.user, Math.max(c.time, highest.get(c.user) ?? 0));
  }
  let lost = 0;
  for (const k of acked) if (!seen.has(k)) lost++;
  let unacknowledgedDelivered = 0;
  for (const k of seen) if (!acked.has(k)) unacknowledgedDelivered++;
  return {
    acked: acked.size,
    received: all.length,
    distinct: seen.size,
    duplicates: all.length - seen.size,
    lost,
    unacknowledgedDelivered,
    orderViolations,
  };
}

const indexes = new WeakMap<Received[], { n: number; keys: Set<string> }>();

/** Whether every report in `acked` has its callback in `received` (indexes `received` incrementally). */
export function allDelivered(received: Received[], acked: Set<string>): boolean {
  let ix = indexes.get(received);
  if (!ix) {
    ix = { n: 0, keys: new Set() };
    indexes.set(received, ix);
  }
  for (; ix.n < received.length; ix.n++) {
    const j = received[ix.n]!.json;
    if (j?.CallbackCommand === 'C2C.CallbackAfterMsgReport') ix.keys.add(`${j.Report_Account}:${j.LastReadTime}`);
  }
  if (ix.keys.size < acked.size) return false;
  for (const k of acked) if (!ix.keys.has(k)) return false;
  return true;
}

/** p50/p99 (ms) from each event's commit (`EventTime`) to its first arrival, for events committed in [from, to). */
export function delays(
  received: Received[],
  from = 0,
  to = Number.POSITIVE_INFINITY,
): { p50: number; p99: number; n: number } {
  const first = new Map<string, number>();
  for (const c of reports(received)) {
    const t = c.r.json.EventTime as number;
    if (t < from || t >= to || first.has(c.key)) continue;
    first.set(c.key, Math.max(0, c.r.at - t));
  }
  const v = [...first.values()];
  return { p50: quantile(v, 0.5), p99: quantile(v, 0.99), n: v.length };
}
