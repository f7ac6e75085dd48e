import type { Database } from 'better-sqlite3';
import type { EventFilter, EventView } from '../../../dispatch/outbox-admin.ts';
import type { EventRow } from './event-row.ts';
import { FilteredStatements } from './filter-sql.ts';

const TEMPLATE = `SELECT id, event_id, command, ordering_key, state, attempts, next_attempt_at, lease_until, parked,
  created_at, delivered_at, last_error, body FROM callback_events
  WHERE app_id = @app AND id < @before {where} ORDER BY id DESC LIMIT @limit`;

/**
 * Listing events newest first with optional filters. Read-only; runs outside transactions (it sees committed data
 * only, since every write runs whole inside one synchronous transaction). The planner picks `callback_events_account` for an
 * account, `callback_events_dead` for dead events, else walks the primary key backwards from `@before`.
 */
export function prepareListEvents(db: Database) {
  const statements = new FilteredStatements(db);
  /** Events of `f.appId` matching `f`, newest first. */
  return function listEvents(f: EventFilter, now: number): EventView[] {
    const rows = statements.all<EventRow>(
      TEMPLATE,
      { app: f.appId, before: f.beforeRowId ?? Number.MAX_SAFE_INTEGER, limit: f.limit },
      [
        { sql: 'state = @state', param: 'state', value: f.state },
        { sql: 'command = @command', param: 'command', value: f.command },
        { sql: 'ordering_key = @account', param: 'account', value: f.account },
        { sql: 'created_at >= @min', param: 'min', value: f.minTimeMs },
        { sql: 'created_at <= @max', param: 'max', value: f.maxTimeMs },
      ],
    );
    return rows.map((r) => {
      const pending = r.state === 'pending';
      const inFlight = pending && r.lease_until !== null && r.lease_until > now;
      return {
        rowId: r.id,
        eventId: r.event_id,
        command: r.command,
        account: r.ordering_key,
        state: r.state,
        attempts: r.attempts,
        nextAttemptAt: pending && r.parked === 0 ? r.next_attempt_at : undefined,
        inFlight,
        waiting: pending && r.parked === 1,
        createdAt: r.created_at,
        deliveredAt: r.delivered_at ?? undefined,
        lastError: r.last_error ?? undefined,
        body: r.body,
      };
    });
  };
}
