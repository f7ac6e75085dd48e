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

/** One write's effects, for {@link writeEffectsMany}. */
export interface WriteEffects {
  appId: number;
  effects: PlannedEffects | undefined;
}

/** `a < b` as JavaScript compares strings (every node and the settles sort ordering keys this way). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes the effects of a batch's writes (of any apps): the (app, ordering key) locks (lock 4 of the global order,
 * sorted by `app:key`), the callback events in write order and the sync-log users in one round trip
 * (`write_events_many`, migration 0009); then each write's sync entries, added to `later` for the caller to append
 * after the batch's last write. A lease is offered for the first event of each key (when `claims` has room); one the
 * database did not use (the key had a pending event) is given back. Returns what each write wrote, in order.
 */
export async function writeEffectsMany(
  tx: PgTx,
  writes: WriteEffects[],
  nowMs: number,
  claims: InsertClaims | undefined,
  later: PendingSync,
): Promise<{ events: WrittenEvents; synced: number }[]> {
  const out = writes.map((): { events: WrittenEvents; synced: number } => ({
    events: { leased: [], unleased: false },
    synced: 0,
  }));
  const events = writes.flatMap((w, i) => (w.effects?.callbacks ?? []).map((e) => ({ write: i, appId: w.appId, e })));
  const keyOf = (appId: number, key: string) => `${appId}:${key}`;
  const keyNames = [...new Set(events.map((x) => keyOf(x.appId, x.e.orderingKey)))].sort(byCodeUnits);
  const keyIndex = new Map(keyNames.map((k, i) => [k, i]));
  const keyApps: number[] = [];
  const keys: string[] = [];
  for (const x of events) {
    const i = keyIndex.get(keyOf(x.appId, x.e.orderingKey))!;
    keyApps[i] = x.appId;
    keys[i] = x.e.orderingKey;
  }
  const userPairs = new Map<string, [number, string]>();
  for (const w of writes)
    for (const s of w.effects?.sync ?? []) userPairs.set(keyOf(w.appId, s.userId), [w.appId, s.userId]);
  if (events.length === 0 && userPairs.size === 0) return out;
  const offered = new Set<string>();
  const leases = events.map((x) => {
    const k = keyOf(x.appId, x.e.orderingKey);
    if (!claims || offered.has(k)) return undefined;
    offered.add(k);
    return claims.take(x.appId);
  });
  const eventIds = events.map(() => newEventId(nowMs));
  const bodies = events.map((x) => JSON.stringify({ CallbackCommand: x.e.command, ...x.e.payload, EventTime: nowMs }));
  const pairs = [...userPairs.values()];
  const rows = await tx.rows<{ o_kind: string; o_app: number; o_name: string; o_flag: boolean; o_id: number | null }>(
    outboxInsertSql.writeEventsMany,
    [
      keyApps,
      keys,
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
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
    ],
  );
  events.forEach((x, i) => {
    const row = rows[i]!;
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
  const withLog = new Set(rows.slice(events.length).map((r) => keyOf(r.o_app, r.o_name)));
  for (const [i, w] of writes.entries()) {
    const sync = w.effects?.sync;
    if (!sync || sync.length === 0) continue;
    const mine = new Set(sync.filter((s) => withLog.has(keyOf(w.appId, s.userId))).map((s) => s.userId));
    out[i]!.synced = await appendSync(tx, w.appId, sync, nowMs, mine, later);
  }
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
  const [written] = await writeEffectsMany(
    tx,
    [{ appId, effects: { callbacks: events, sync: [] } }],
    nowMs,
    claims,
    new PendingSync(),
  );
  return written!.events;
}
