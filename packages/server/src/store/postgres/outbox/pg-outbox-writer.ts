import type {
  AttemptRecord,
  ClaimRequest,
  ClaimResult,
  ClaimedEvent,
  SettleOutcome,
  WriteSet,
} from '../../../dispatch/outbox.ts';
import { ATTEMPT_TEXT_MAX_CHARS } from '../../sqlite/outbox/settle-event.ts';
import { CLAIM_SCAN_BUDGET_ROWS } from '../../sqlite/outbox/claim-events.ts';
import { toClaimedEvent, type ClaimRow } from '../../sqlite/outbox/event-row.ts';
import type { PgTx } from '../pg-pool.ts';
import { claimSql } from './claim-sql.ts';
import { settleSql } from './settle-sql.ts';

function clip(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length > ATTEMPT_TEXT_MAX_CHARS ? `${text.slice(0, ATTEMPT_TEXT_MAX_CHARS - 1)}…` : text;
}

/**
 * The delivery writes of the PostgreSQL outbox on one transaction (the same operations as SQLite's `OutboxWriter`,
 * asynchronous). `unparked` counts the events its settles made claimable.
 */
export class PgOutboxWriter {
  readonly tx: PgTx;
  unparked = 0;
  constructor(tx: PgTx) {
    this.tx = tx;
  }

  /** Claims up to `r.limit` due heads of one app for `owner` (see `claim-sql.ts`). */
  async claim(owner: string, r: ClaimRequest, now: number): Promise<ClaimResult> {
    const result: ClaimResult = { appId: r.appId, events: [], nextDueAt: undefined, more: false };
    let budget = CLAIM_SCAN_BUDGET_ROWS;
    const until = now + r.leaseMs;
    for (;;) {
      const page = Math.min(budget, r.limit - result.events.length + 32);
      const locked = await this.tx.rows<{ id: number }>(claimSql.candidates, [r.appId, now, page]);
      const judged = new Map(
        locked.length === 0
          ? []
          : (await this.tx.rows<{ id: number; head: boolean }>(claimSql.judge, [r.appId, locked.map((x) => x.id)])).map(
              (x) => [x.id, x.head],
            ),
      );
      const rows = locked.map((x) => ({ id: x.id, head: judged.get(x.id) ?? false }));
      const heads = rows.filter((x) => x.head).slice(0, r.limit - result.events.length);
      const parked = rows.filter((x) => !x.head).length;
      if (heads.length > 0) {
        const leased = await this.tx.rows<ClaimRow>(claimSql.lease, [heads.map((h) => h.id), owner, until]);
        const byId = new Map(leased.map((row) => [row.id, row]));
        for (const h of heads) {
          const row = byId.get(h.id)!;
          result.events.push(toClaimedEvent({ ...row, attempts: row.attempts - 1 }, owner));
        }
      }
      budget -= rows.length;
      if (result.events.length >= r.limit || rows.length < page || parked === 0) break;
      if (budget <= 0) {
        result.more = true;
        break;
      }
    }
    const [next] = await this.tx.rows<{ next: number | null }>(claimSql.nextDue, [r.appId]);
    result.nextDueAt = next?.next ?? undefined;
    return result;
  }

  /** Records an attempt and applies its outcome (as `applyWrites` does, for one); false when the lease was lost. */
  async settle(e: ClaimedEvent, outcome: SettleOutcome, rec: AttemptRecord, now: number): Promise<boolean> {
    const lost = await this.applyWrites(
      { settles: [{ event: e, outcome, record: rec }], releases: [], expedite: [] },
      now,
    );
    return lost.length === 0;
  }

  /** Returns a claimed event that was never sent; false when the lease was lost. */
  async release(e: ClaimedEvent, now: number): Promise<boolean> {
    return (await this.tx.count(settleSql.release, [e.rowId, e.owner, e.attempt, now])) > 0;
  }

  /** Makes the waiting retries of these apps due now. */
  async expediteRetries(appIds: number[], now: number): Promise<number> {
    return this.tx.count(settleSql.expedite, [appIds, now]);
  }

  /** Applies a batch's write set (settles in row-id order, releases, expedites); returns the lost settles' event ids. */
  async applyWrites(set: WriteSet, now: number): Promise<string[]> {
    const lost: string[] = [];
    const { settles, lockKeys, args } = settleArgs(set, now);
    if (settles.length > 0) {
      // The transaction is relaxed already (or durable): settle_batch leaves synchronous_commit alone.
      const rows = await this.tx.rows<SettleRow>(settleSql.settleBatch, [false, lockKeys, ...args]);
      const r = settledRows(set, rows);
      this.unparked += r.unparked;
      lost.push(...r.lost);
    }
    for (const e of set.releases) await this.release(e, now);
    if (set.expedite.length > 0) await this.expediteRetries(set.expedite, now);
    return lost;
  }
}

/** A row of `settle_batch` (and of `settle_apply`). */
export interface SettleRow {
  o_settled: boolean;
  o_unparked: number;
}

/** What `settle_batch` rows say: the event ids whose lease was lost, and how many events unparked. */
export function settledRows(set: WriteSet, rows: SettleRow[]): { lost: string[]; unparked: number } {
  const lost: string[] = [];
  let unparked = 0;
  sortedSettles(set).forEach((s, i) => {
    unparked += rows[i]?.o_unparked ?? 0;
    if (!rows[i]?.o_settled) lost.push(s.event.eventId);
  });
  return { lost, unparked };
}

function sortedSettles(set: WriteSet) {
  return [...set.settles].sort((a, b) => a.event.rowId - b.event.rowId);
}

/**
 * A write set's settles in row-id order, the keys to lock before them (those settled as delivered or dead, sorted as
 * writers sort `app:key`; the events of one write are of one app, so the app prefix keeps its order) and
 * the arguments `settleSql.settleBatch` takes after them.
 */
export function settleArgs(set: WriteSet, now: number) {
  const settles = sortedSettles(set);
  const keys = settles
    .filter((s) => s.outcome.kind === 'delivered' || s.outcome.kind === 'dead')
    .map((s) => `${s.event.appId}:${s.event.orderingKey}`);
  const lockKeys = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const args = [
    settles.map((s) => s.event.rowId),
    settles.map((s) => s.event.owner),
    settles.map((s) => s.event.attempt),
    settles.map((s) => s.outcome.kind),
    now,
    settles.map((s) => (s.outcome.kind === 'retry' ? s.outcome.nextAttemptAt : null)),
    settles.map((s) => clip(s.record.error)),
    settles.map((s) => s.event.appId),
    settles.map((s) => s.event.orderingKey),
    settles.map((s) => s.record.startedAt),
    settles.map((s) => s.record.url),
    settles.map((s) => s.record.status ?? null),
    settles.map((s) => Math.round(s.record.latencyMs * 100) / 100),
    settles.map((s) => s.record.errorCode ?? null),
    settles.map((s) => clip(s.record.errorInfo)),
  ];
  return { settles, lockKeys, args };
}
