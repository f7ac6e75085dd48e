import type { ClaimedEvent, InsertClaims } from '../../dispatch/outbox.ts';
import type { PlannedEffects } from '../../core/plan-effects.ts';
import type { CallbackEventInput } from '../callback-event-input.ts';
import { newEventId } from '../sqlite/event-id.ts';
import type { SyncEventInput } from '../sync-event.ts';
import type { PgTx } from './pg-pool.ts';
import { outboxInsertSql } from './sql/outbox-insert-sql.ts';
import { syncSql } from './sql/sync-sql.ts';

/** What writing a write's callback events did. */
export interface WrittenEvents {
  /** Events written already leased to this node's dispatcher (hand them over after the commit). */
  leased: ClaimedEvent[];
  /** Some event was written without a lease (a claim has to find it). */
  unleased: boolean;
}

/**
 * Writes callback events inside the write transaction. The advisory locks of their ordering keys are taken first, in
 * key order (lock 4 of the global order, `outbox-insert-sql.ts`); an event that is then its key's head is written
 * already leased when `claims` (this node's dispatcher) has room.
 */
export async function insertCallbacks(
  tx: PgTx,
  appId: number,
  events: CallbackEventInput[] | undefined,
  nowMs: number,
  claims: InsertClaims | undefined,
  locked?: Map<string, boolean>,
): Promise<WrittenEvents> {
  const out: WrittenEvents = { leased: [], unleased: false };
  if (!events || events.length === 0) return out;
  // Lock the keys in key order (lock 4), unless `writeEffects` did, then write the events in the order given.
  const pending = locked ?? new Map<string, boolean>();
  if (!locked) {
    for (const key of [...new Set(events.map((e) => e.orderingKey))].sort()) {
      pending.set(key, (await tx.row<{ pending: boolean }>(outboxInsertSql.keyPending, [appId, key]))!.pending);
    }
  }
  for (const e of events) {
    const body = JSON.stringify({ CallbackCommand: e.command, ...e.payload, EventTime: nowMs });
    const eventId = newEventId(nowMs);
    const { clientIp, optPlatform } = e.origin;
    const lease = claims && pending.get(e.orderingKey) === false ? claims.take(appId) : undefined;
    pending.set(e.orderingKey, true);
    const values = [eventId, appId, e.command, e.orderingKey, body, clientIp, optPlatform, nowMs];
    if (!lease) {
      await tx.row(outboxInsertSql.insert, values);
      out.unleased = true;
      continue;
    }
    const until = nowMs + lease.leaseMs;
    const row = await tx.row<{ id: number }>(outboxInsertSql.insertLeased, [...values, lease.owner, until]);
    out.leased.push({
      rowId: row!.id,
      eventId,
      appId,
      command: e.command,
      orderingKey: e.orderingKey,
      body,
      clientIp,
      optPlatform,
      attempt: 1,
      scheduleAttempt: 1,
      createdAt: nowMs,
      owner: lease.owner,
    });
  }
  return out;
}

/** Sync-log entries computed by writes but not yet appended (a group commit appends them last, together). */
export class PendingSync {
  readonly apps: number[] = [];
  readonly users: string[] = [];
  readonly kinds: string[] = [];
  readonly msgIds: (number | null)[] = [];
  readonly data: string[] = [];
  readonly times: number[] = [];

  get size(): number {
    return this.users.length;
  }

  /** Appends every entry in one statement, which locks the log's head row until the commit (lock 5): call it last. */
  async flush(tx: PgTx): Promise<void> {
    if (this.size === 0) return;
    const values = [this.size, this.apps, this.users, this.kinds, this.msgIds, this.data, this.times];
    await tx.count(syncSql.appendMany, values);
  }
}

/**
 * Computes the entries of users who have a sync log (with the unread counts this transaction sees now) and appends
 * them — or, given `pending`, adds them there for a later `flush`. Appending locks the log's head row until the commit
 * (lock 5), so it must be the last write of the transaction. Returns how many entries were written.
 */
export async function appendSync(
  tx: PgTx,
  appId: number,
  inputs: SyncEventInput[] | undefined,
  nowMs: number,
  usersWithLog?: Set<string>,
  pending?: PendingSync,
): Promise<number> {
  if (!inputs || inputs.length === 0) return 0;
  const users = [...new Set(inputs.map((e) => e.userId))];
  const withLog =
    usersWithLog ??
    new Set((await tx.rows<{ user_id: string }>(syncSql.usersWithLog, [appId, users])).map((r) => r.user_id));
  const rows = inputs.filter((e) => withLog.has(e.userId));
  if (rows.length === 0) return 0;
  const out = pending ?? new PendingSync();
  for (const e of rows) {
    let d = e.data;
    if (e.countsPeer !== undefined) {
      const c = (await tx.row<{ conversation: number; total: number }>(syncSql.counts, [
        appId,
        e.userId,
        e.countsPeer,
      ]))!;
      d = { ...d, unread: { peer: e.countsPeer, conversation: c.conversation, total: c.total } };
    }
    out.apps.push(appId);
    out.users.push(e.userId);
    out.kinds.push(e.kind);
    out.msgIds.push(e.msgId ?? null);
    out.data.push(JSON.stringify(d));
    out.times.push(nowMs);
  }
  if (!pending) await out.flush(tx);
  return rows.length;
}

/**
 * Writes a write's effects: the ordering keys' locks and the sync-log users are looked up in one round trip
 * (`prepare_effects`), then the events are inserted and the sync entries appended (last: lock 5) — or, given
 * `later`, left there for the caller to append after its last write.
 */
export async function writeEffects(
  tx: PgTx,
  appId: number,
  effects: PlannedEffects,
  nowMs: number,
  claims: InsertClaims | undefined,
  later?: PendingSync,
): Promise<{ events: WrittenEvents; synced: number }> {
  const keys = [...new Set(effects.callbacks.map((e) => e.orderingKey))].sort();
  const users = [...new Set(effects.sync.map((e) => e.userId))];
  if (keys.length === 0 && users.length === 0) return { events: { leased: [], unleased: false }, synced: 0 };
  const rows = await tx.rows<{ o_kind: string; o_name: string; o_flag: boolean }>(outboxInsertSql.prepare, [
    appId,
    keys,
    users,
  ]);
  const pending = new Map<string, boolean>();
  const withLog = new Set<string>();
  for (const r of rows) {
    if (r.o_kind === 'key') pending.set(r.o_name, r.o_flag);
    else withLog.add(r.o_name);
  }
  const events = await insertCallbacks(tx, appId, effects.callbacks, nowMs, claims, pending);
  const synced = await appendSync(tx, appId, effects.sync, nowMs, withLog, later);
  return { events, synced };
}
