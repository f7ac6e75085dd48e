import type { PlannedEffects } from '../../core/plan-effects.ts';
import type { InsertClaims } from '../../dispatch/outbox.ts';
import { writeEffectsMany, type CarriedSettle, type WrittenEvents } from './pg-effects.ts';
import type { PgTx, Sql } from './pg-pool.ts';

/**
 * A write's main step as one row of a statement that several writes of a batch share: `sql` takes one array per
 * argument (the batch's values of that argument, in batch order) and then the batch's time, and returns one row per
 * write, in order (for example `read_reports`, migration 0009).
 */
export interface SharedStep {
  sql: Sql;
  args: unknown[];
}

/** One write of a group commit's batch. */
export interface BatchWrite {
  readonly appId: number;
  /** Its main step as one row of a statement shared with the batch's writes of the same `shared.sql`. */
  readonly shared?: SharedStep | undefined;
  /**
   * Runs its own statements (or reads `row`, its row of the shared statement) and returns the effects to write with
   * it. May run more than once (a batch that failed runs its writes again one by one).
   */
  main(tx: PgTx, now: number, row: unknown): Promise<PlannedEffects | undefined>;
  /** What its effects wrote in this run (called again when the write runs again). */
  wrote(events: WrittenEvents, synced: number): void;
  /** The transaction that ran it committed. */
  committed(): void;
  /** Its own transaction failed (never called for a failed batch of several: those run again alone). */
  failed(error: unknown): void;
}

/**
 * Runs a batch's writes in `tx` (a `piggyback` transaction) with as few round trips as the batch allows: one call of
 * each shared statement for all the writes that use it (the first carries the BEGIN), the other writes' own
 * statements one after another, then every write's callback events and sync-log entries (and a carried delivery
 * batch's settles) in one `write_events_many` call that carries the COMMIT (the sync-log head, lock 5 of the global order in `sql/message-sql.ts`, is taken last). Each write takes its rows in the global order; the batch as a whole may not (it holds the
 * locks of its earlier writes while it runs the later ones), which is why a batch of several runs with a short
 * `lock_timeout` (see `PgGroupCommit`).
 */
export async function runWriteBatch(
  tx: PgTx,
  batch: BatchWrite[],
  claims: InsertClaims | undefined,
  settle?: CarriedSettle,
): Promise<void> {
  const now = Date.now();
  const rows = new Map<BatchWrite, unknown>();
  const groups = new Map<string, BatchWrite[]>();
  for (const w of batch) {
    if (!w.shared) continue;
    const group = groups.get(w.shared.sql.name);
    if (group) group.push(w);
    else groups.set(w.shared.sql.name, [w]);
  }
  for (const group of groups.values()) {
    const first = group[0]!.shared!;
    const columns = first.args.map((_, j) => group.map((w) => w.shared!.args[j]));
    const result = await tx.rows(first.sql, [...columns, now]);
    group.forEach((w, i) => rows.set(w, result[i]));
  }
  const effects: (PlannedEffects | undefined)[] = [];
  for (const w of batch) effects.push(await w.main(tx, now, rows.get(w)));
  const writes = batch.map((w, i) => ({ appId: w.appId, effects: effects[i] }));
  const written = await writeEffectsMany(tx, writes, now, claims, true, settle);
  batch.forEach((w, i) => w.wrote(written[i]!.events, written[i]!.synced));
}
