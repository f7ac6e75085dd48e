import type { ClaimedEvent, InsertClaims } from '../../dispatch/outbox.ts';
import type { PlannedEffects } from '../../core/plan-effects.ts';
import type { CallbackEventInput } from '../callback-event-input.ts';
import { newEventId } from '../sqlite/event-id.ts';
import type { SyncEventInput } from '../sync-event.ts';
import type { PgTx } from './pg-pool.ts';
import { outboxInsertSql } from './sql/outbox-insert-sql.ts';
import { PendingSync } from './pending-sync.ts';
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
 * Writes a write's effects: the ordering keys' locks, the events and the sync-log users in one round trip
 * (`write_events`), then the sync entries appended (last: lock 5) — or, given `later`, left there for the caller to
 * append after its last write. A lease is offered for the first event of each key (when `claims` has room); one the
 * database did not use (the key had a pending event) is given back.
 */
export async function writeEffects(
  tx: PgTx,
  appId: number,
  effects: PlannedEffects,
  nowMs: number,
  claims: InsertClaims | undefined,
  later?: PendingSync,
): Promise<{ events: WrittenEvents; synced: number }> {
  const events = effects.callbacks;
  const keys = [...new Set(events.map((e) => e.orderingKey))].sort();
  const users = [...new Set(effects.sync.map((e) => e.userId))];
  const out: WrittenEvents = { leased: [], unleased: false };
  if (keys.length === 0 && users.length === 0) return { events: out, synced: 0 };
  const offered = new Set<string>();
  const leases = events.map((e) => {
    if (!claims || offered.has(e.orderingKey)) return undefined;
    offered.add(e.orderingKey);
    return claims.take(appId);
  });
  const eventIds = events.map(() => newEventId(nowMs));
  const bodies = events.map((e) => JSON.stringify({ CallbackCommand: e.command, ...e.payload, EventTime: nowMs }));
  const rows = await tx.rows<{ o_kind: string; o_name: string; o_flag: boolean; o_id: number | null }>(
    outboxInsertSql.writeEvents,
    [
      appId,
      keys,
      users,
      eventIds,
      events.map((e) => e.command),
      events.map((e) => e.orderingKey),
      bodies,
      events.map((e) => e.origin.clientIp),
      events.map((e) => e.origin.optPlatform),
      leases.map((l) => l?.owner ?? null),
      leases.map((l) => (l ? nowMs + l.leaseMs : null)),
      nowMs,
    ],
  );
  const withLog = new Set<string>();
  events.forEach((e, i) => {
    const row = rows[i]!;
    const lease = leases[i];
    if (!row.o_flag || !lease) {
      out.unleased = true;
      if (lease) claims?.untake?.(appId);
      return;
    }
    out.leased.push({
      rowId: row.o_id!,
      eventId: eventIds[i]!,
      appId,
      command: e.command,
      orderingKey: e.orderingKey,
      body: bodies[i]!,
      clientIp: e.origin.clientIp,
      optPlatform: e.origin.optPlatform,
      attempt: 1,
      scheduleAttempt: 1,
      createdAt: nowMs,
      owner: lease.owner,
    });
  });
  for (const r of rows.slice(events.length)) withLog.add(r.o_name);
  const synced = await appendSync(tx, appId, effects.sync, nowMs, withLog, later);
  return { events: out, synced };
}
