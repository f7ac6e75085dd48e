import type { ClaimedEvent, InsertClaims } from '../../dispatch/outbox.ts';
import type { PlannedEffects } from '../../core/plan-effects.ts';
import type { CallbackEventInput } from '../callback-event-input.ts';
import { newEventId } from '../sqlite/event-id.ts';
import type { PgTx } from './pg-pool.ts';
import { outboxInsertSql } from './sql/outbox-insert-sql.ts';

/** What writing a write's callback events did. */
export interface WrittenEvents {
  /** Events written already leased to this node's dispatcher (hand them over after the commit). */
  leased: ClaimedEvent[];
  /** Some event was written without a lease (a claim has to find it). */
  unleased: boolean;
}

/** One write's effects, for {@link writeEffectsMany}. */
export interface WriteEffects {
  appId: number;
  effects: PlannedEffects | undefined;
}

/**
 * A delivery batch's settles carried by a write batch (`PgGroupCommit.carry`): the `app:key` strings to lock and
 * `settleSql.settleBatch`'s arrays (without its time, the batch's time is used). `rows` receives `settle_apply`'s rows.
 */
export interface CarriedSettle {
  lockKeys: string[];
  arrays: unknown[];
  rows: { o_settled: boolean; o_unparked: number }[];
}

/** `write_events_many`'s settle arrays when no delivery batch is carried. */
const SETTLE_NONE: unknown[] = Array.from({ length: 14 }, () => []);

/** `a < b` as JavaScript compares strings (every node and the settles sort ordering keys this way). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes the effects of a batch's writes (of any apps) in one statement (`write_events_many`, migration 0009), the
 * batch's last, so it can carry the COMMIT (`commit`): the (app, ordering key) locks (lock 4 of the global order,
 * sorted by `app:key`), the callback events in write order, then the sync-log entries of users who have a log (lock
 * 5, last) — and, given `settle`, a delivery batch's settles first, after the locks. A lease is offered for the first
 * event of each key (when `claims` has room); one the database did not use
 * (the key had a pending event) is given back. Returns what each write wrote, in order.
 */
export async function writeEffectsMany(
  tx: PgTx,
  writes: WriteEffects[],
  nowMs: number,
  claims: InsertClaims | undefined,
  commit = false,
  settle?: CarriedSettle,
): Promise<{ events: WrittenEvents; synced: number }[]> {
  const out = writes.map((): { events: WrittenEvents; synced: number } => ({
    events: { leased: [], unleased: false },
    synced: 0,
  }));
  const events = writes.flatMap((w, i) => (w.effects?.callbacks ?? []).map((e) => ({ write: i, appId: w.appId, e })));
  const sync = writes.flatMap((w, i) => (w.effects?.sync ?? []).map((e) => ({ write: i, appId: w.appId, e })));
  if (events.length === 0 && sync.length === 0 && !settle) return out;
  const keyOf = (appId: number, key: string) => `${appId}:${key}`;
  // The events' keys and the carried settles' keys, locked together in one order.
  const keyNames = [
    ...new Set([...events.map((x) => keyOf(x.appId, x.e.orderingKey)), ...(settle?.lockKeys ?? [])]),
  ].sort(byCodeUnits);
  const keyIndex = new Map(keyNames.map((k, i) => [k, i]));
  const keyApps = keyNames.map((k) => Number(k.slice(0, k.indexOf(':'))));
  const keys = keyNames.map((k) => k.slice(k.indexOf(':') + 1));
  const offered = new Set<string>();
  const leases = events.map((x) => {
    const k = keyOf(x.appId, x.e.orderingKey);
    if (!claims || offered.has(k)) return undefined;
    offered.add(k);
    return claims.take(x.appId);
  });
  const eventIds = events.map(() => newEventId(nowMs));
  const bodies = events.map((x) => JSON.stringify({ CallbackCommand: x.e.command, ...x.e.payload, EventTime: nowMs }));
  const values = [
    keyApps,
    keys,
    events.map((x) => x.appId),
    events.map((x) => keyIndex.get(keyOf(x.appId, x.e.orderingKey))! + 1),
    eventIds,
    events.map((x) => x.e.command),
    bodies,
    events.map((x) => x.e.origin.clientIp),
    events.map((x) => x.e.origin.optPlatform),
    leases.map((l) => l?.owner ?? null),
    leases.map((l) => (l ? nowMs + l.leaseMs : null)),
    nowMs,
    sync.map((x) => x.write),
    sync.map((x) => x.appId),
    sync.map((x) => x.e.userId),
    sync.map((x) => x.e.kind),
    sync.map((x) => x.e.msgId ?? null),
    sync.map((x) => JSON.stringify(x.e.data)),
    sync.map((x) => x.e.countsPeer ?? null),
    ...(settle ? settle.arrays : SETTLE_NONE),
  ];
  type Row = { o_kind: string; o_name: string | null; o_flag: boolean; o_id: number | null };
  const sql = outboxInsertSql.writeEventsMany;
  const rows = commit ? await tx.rowsThenCommit<Row>(sql, values) : await tx.rows<Row>(sql, values);
  if (settle) {
    settle.rows = rows.filter((r) => r.o_kind === 'settle').map((r) => ({ o_settled: r.o_flag, o_unparked: r.o_id! }));
  }
  const byEventId = new Map(rows.filter((r) => r.o_kind === 'event').map((r) => [r.o_name, r]));
  events.forEach((x, i) => {
    const row = byEventId.get(eventIds[i]!)!;
    const lease = leases[i];
    const written = out[x.write]!.events;
    if (!row.o_flag || !lease) {
      written.unleased = true;
      if (lease) claims?.untake?.(x.appId);
      return;
    }
    written.leased.push({
      rowId: row.o_id!,
      eventId: eventIds[i]!,
      appId: x.appId,
      command: x.e.command,
      orderingKey: x.e.orderingKey,
      body: bodies[i]!,
      clientIp: x.e.origin.clientIp,
      optPlatform: x.e.origin.optPlatform,
      attempt: 1,
      scheduleAttempt: 1,
      createdAt: nowMs,
      owner: lease.owner,
    });
  });
  for (const r of rows) if (r.o_kind === 'sync') out[r.o_id!]!.synced++;
  return out;
}

/** Writes callback events (no sync entries) in `tx`, as a write would (for tests and tools). */
export async function insertCallbacks(
  tx: PgTx,
  appId: number,
  events: CallbackEventInput[],
  nowMs: number,
  claims: InsertClaims | undefined,
): Promise<WrittenEvents> {
  const [written] = await writeEffectsMany(tx, [{ appId, effects: { callbacks: events, sync: [] } }], nowMs, claims);
  return written!.events;
}
