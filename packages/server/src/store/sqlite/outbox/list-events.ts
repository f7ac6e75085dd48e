import type { Database } from 'better-sqlite3';
import type { EventFilter, EventView, Listing } from '../../../dispatch/outbox-admin.ts';
import type { EventRow } from './event-row.ts';
import { FilteredStatements } from './filter-sql.ts';
import { floorCondition, LIST_SCAN_WINDOW_IDS, listWindow, scannedDownTo } from './list-window.ts';

const TEMPLATE = `SELECT id, event_id, command, ordering_key, state, attempts, next_attempt_at, lease_until, parked,
  created_at, delivered_at, last_error, body, client_ip, opt_platform FROM callback_events
  WHERE app_id = @app AND id < @before {where} ORDER BY id DESC LIMIT @limit`;

const STATES: ReadonlySet<string> = new Set(['pending', 'delivered', 'dead']);

function view(r: EventRow, now: number): EventView {
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
}

/**
 * Listing events newest first with optional filters. Read-only; runs outside transactions (it sees committed data
 * only, since every write runs whole inside one synchronous transaction).
 *
 * **Indexes.** One event by id comes from the unique event id index, dead events come from `callback_events_dead`, and pending events of one account from
 * `callback_events_order` (the state is written into the SQL as a literal, so the planner can use these partial
 * indexes). Every other listing walks the primary key downwards from `@before` through a window of at most
 * `windowIds` ids (default {@link LIST_SCAN_WINDOW_IDS}); when the window ends before `limit` rows matched, the
 * page says where it stopped. There is deliberately no index on the account of every event: one insert at a random
 * place per event cost about a tenth of the callback throughput.
 */
export function prepareListEvents(db: Database, maxRowId: () => number, windowIds = LIST_SCAN_WINDOW_IDS) {
  const statements = new FilteredStatements(db);
  /** Events of `f.appId` matching `f`, newest first. */
  return function listEvents(f: EventFilter, now: number): Listing<EventView> {
    if (f.state !== undefined && !STATES.has(f.state)) throw new Error(`unknown event state ${String(f.state)}`);
    const indexed = f.eventId !== undefined || f.state === 'dead' || (f.state === 'pending' && f.account !== undefined);
    const window = listWindow(f.beforeRowId, indexed ? undefined : maxRowId, windowIds);
    const rows = statements.all<EventRow>(TEMPLATE, { app: f.appId, before: window.before, limit: f.limit }, [
      floorCondition(window, 'id'),
      { sql: `state = '${f.state}'`, value: f.state },
      { sql: 'event_id = @eventId', param: 'eventId', value: f.eventId },
      { sql: 'command = @command', param: 'command', value: f.command },
      { sql: 'ordering_key = @account', param: 'account', value: f.account },
      { sql: 'created_at >= @min', param: 'min', value: f.minTimeMs },
      { sql: 'created_at <= @max', param: 'max', value: f.maxTimeMs },
    ]);
    return { rows: rows.map((r) => view(r, now)), scannedDownTo: scannedDownTo(window, rows.length, f.limit) };
  };
}
