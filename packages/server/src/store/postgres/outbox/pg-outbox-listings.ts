import type { AttemptFilter, AttemptView, EventFilter, EventView, Listing } from '../../../dispatch/outbox-admin.ts';
import type { EventRow } from '../../sqlite/outbox/event-row.ts';
import { LIST_SCAN_WINDOW_IDS, type ListWindow } from '../../sqlite/outbox/list-window.ts';
import type { PgPool } from '../pg-pool.ts';
import { adminSql } from './admin-sql.ts';
import { filtered, type PgCondition } from './pg-filter-sql.ts';

const EVENTS = `SELECT id, event_id, command, ordering_key, state, attempts, next_attempt_at, lease_until, parked,
  created_at, delivered_at, last_error, body, client_ip, opt_platform FROM callback_events
  WHERE app_id = $1 AND id < $2 {where} ORDER BY id DESC LIMIT $3`;

const ATTEMPTS = `SELECT a.id, e.event_id, e.command, e.ordering_key, a.attempt, a.started_at, a.url, a.status,
  a.latency_ms, a.error_code, a.error_info, a.error, a.outcome
  FROM callback_attempts a JOIN callback_events e ON e.id = a.event_row
  WHERE a.app_id = $1 AND a.id < $2 {where} ORDER BY a.id DESC LIMIT $3`;

const STATES: ReadonlySet<string> = new Set(['pending', 'delivered', 'dead']);

/** The window of a newest-first listing (as SQLite's `listWindow`, with the highest id read from PostgreSQL). */
async function windowOf(before: number | undefined, maxId: (() => Promise<number>) | undefined, size: number) {
  if (!maxId) return { before: before ?? Number.MAX_SAFE_INTEGER, floor: 0 };
  const top = Math.min(before ?? Number.MAX_SAFE_INTEGER, (await maxId()) + 1);
  return { before: top, floor: top - size > 1 ? top - size : 0 };
}
const floorOf = (w: ListWindow, column: string): PgCondition => ({
  sql: `${column} >= {p}`,
  value: w.floor > 0 ? w.floor : undefined,
});
const stoppedAt = (w: ListWindow, found: number, limit: number) => (w.floor > 0 && found < limit ? w.floor : undefined);

/**
 * The outbox listings on PostgreSQL, with SQLite's paging: dead events and one account's pending events are driven by
 * their partial indexes; other listings walk ids downwards through a bounded window per page.
 */
export class PgOutboxListings {
  private readonly pool: PgPool;
  private readonly windowIds: number;
  constructor(pool: PgPool, windowIds = LIST_SCAN_WINDOW_IDS) {
    this.pool = pool;
    this.windowIds = windowIds;
  }

  private maxId = (sql: typeof adminSql.maxEventId) => async () =>
    (await this.pool.rows<{ id: number }>(sql))[0]?.id ?? 0;

  async events(f: EventFilter, now: number): Promise<Listing<EventView>> {
    if (f.state !== undefined && !STATES.has(f.state)) throw new Error(`unknown event state ${String(f.state)}`);
    const indexed = f.eventId !== undefined || f.state === 'dead' || (f.state === 'pending' && f.account !== undefined);
    const w = await windowOf(f.beforeRowId, indexed ? undefined : this.maxId(adminSql.maxEventId), this.windowIds);
    const q = filtered(
      'rw_list_events',
      EVENTS,
      [f.appId, w.before, f.limit],
      [
        floorOf(w, 'id'),
        { sql: `state = '${f.state}'`, value: f.state, literal: true },
        { sql: 'event_id = {p}', value: f.eventId },
        { sql: 'command = {p}', value: f.command },
        { sql: 'ordering_key = {p}', value: f.account },
        { sql: 'created_at >= {p}', value: f.minTimeMs },
        { sql: 'created_at <= {p}', value: f.maxTimeMs },
      ],
    );
    const rows = await this.pool.rows<EventRow>(q.sql, q.values);
    const views = rows.map((r): EventView => {
      const pending = r.state === 'pending';
      return {
        rowId: r.id,
        eventId: r.event_id,
        command: r.command,
        account: r.ordering_key,
        state: r.state,
        attempts: r.attempts,
        nextAttemptAt: pending && r.parked === 0 ? r.next_attempt_at : undefined,
        inFlight: pending && r.lease_until !== null && r.lease_until > now,
        waiting: pending && r.parked === 1,
        createdAt: r.created_at,
        deliveredAt: r.delivered_at ?? undefined,
        lastError: r.last_error ?? undefined,
        body: r.body,
        clientIp: r.client_ip,
        optPlatform: r.opt_platform,
      };
    });
    return { rows: views, scannedDownTo: stoppedAt(w, rows.length, f.limit) };
  }

  async attempts(f: AttemptFilter): Promise<Listing<AttemptView> | undefined> {
    let row: number | undefined;
    if (f.eventId !== undefined) {
      row = (await this.pool.rows<{ id: number }>(adminSql.rowOf, [f.eventId, f.appId]))[0]?.id;
      if (row === undefined) return undefined;
    }
    const w = await windowOf(
      f.beforeId,
      row !== undefined ? undefined : this.maxId(adminSql.maxAttemptId),
      this.windowIds,
    );
    const q = filtered(
      'rw_list_attempts',
      ATTEMPTS,
      [f.appId, w.before, f.limit],
      [
        floorOf(w, 'a.id'),
        { sql: 'a.event_row = {p}', value: row },
        { sql: 'a.outcome = {p}', value: f.outcome },
        { sql: 'e.command = {p}', value: f.command },
        { sql: 'e.ordering_key = {p}', value: f.account },
        { sql: 'a.started_at >= {p}', value: f.minTimeMs },
        { sql: 'a.started_at <= {p}', value: f.maxTimeMs },
      ],
    );
    type Row = Omit<AttemptView, 'eventId' | 'account' | 'status' | 'errorCode' | 'errorInfo' | 'error'> &
      Record<string, unknown>;
    const rows = await this.pool.rows<Row>(q.sql, q.values);
    const attempts = rows.map((r) => ({
      id: r.id,
      eventId: r.event_id as string,
      command: r.command,
      account: r.ordering_key as string,
      attempt: r.attempt,
      startedAt: r.started_at as number,
      url: r.url,
      status: (r.status as number | null) ?? undefined,
      latencyMs: r.latency_ms as number,
      errorCode: (r.error_code as number | null) ?? undefined,
      errorInfo: (r.error_info as string | null) ?? undefined,
      error: (r.error as string | null) ?? undefined,
      outcome: r.outcome,
    }));
    return { rows: attempts, scannedDownTo: stoppedAt(w, rows.length, f.limit) };
  }
}
