import type { Database } from 'better-sqlite3';
import type { AttemptFilter, AttemptView, Listing } from '../../../dispatch/outbox-admin.ts';
import { FilteredStatements } from './filter-sql.ts';
import { floorCondition, LIST_SCAN_WINDOW_IDS, listWindow, scannedDownTo } from './list-window.ts';

interface AttemptRow {
  id: number;
  event_id: string;
  command: string;
  ordering_key: string;
  attempt: number;
  started_at: number;
  url: string;
  status: number | null;
  latency_ms: number;
  error_code: number | null;
  error_info: string | null;
  error: string | null;
  outcome: string;
}

const TEMPLATE = `SELECT a.id, e.event_id, e.command, e.ordering_key, a.attempt, a.started_at, a.url, a.status,
  a.latency_ms, a.error_code, a.error_info, a.error, a.outcome
  FROM callback_attempts a JOIN callback_events e ON e.id = a.event_row
  WHERE a.app_id = @app AND a.id < @before {where} ORDER BY a.id DESC LIMIT @limit`;

/**
 * Listing recorded attempts newest first with optional filters. Read-only, outside transactions. An event id is
 * resolved to its row first (unique index on `event_id`), so the attempts come from `callback_attempts_event`;
 * other listings walk `callback_attempts` downwards from `@before` through a window of at most `windowIds` ids
 * (default {@link LIST_SCAN_WINDOW_IDS}), and say where they stopped when the window ended first.
 */
export function prepareListAttempts(db: Database, windowIds = LIST_SCAN_WINDOW_IDS) {
  const statements = new FilteredStatements(db);
  const rowOf = db
    .prepare<[string, number], number>('SELECT id FROM callback_events WHERE event_id = ? AND app_id = ?')
    .pluck();
  const maxIdSql = db.prepare<[], number | null>('SELECT max(id) FROM callback_attempts').pluck();
  const maxId = () => maxIdSql.get() ?? 0;
  /** Attempts of `f.appId` matching `f`, newest first; undefined for an unknown event id. */
  return function listAttempts(f: AttemptFilter): Listing<AttemptView> | undefined {
    let row: number | undefined;
    if (f.eventId !== undefined) {
      row = rowOf.get(f.eventId, f.appId);
      if (row === undefined) return undefined;
    }
    const window = listWindow(f.beforeId, row !== undefined ? undefined : maxId, windowIds);
    const rows = statements.all<AttemptRow>(TEMPLATE, { app: f.appId, before: window.before, limit: f.limit }, [
      floorCondition(window, 'a.id'),
      { sql: 'a.event_row = @row', param: 'row', value: row },
      { sql: 'a.outcome = @outcome', param: 'outcome', value: f.outcome },
      { sql: 'e.command = @command', param: 'command', value: f.command },
      { sql: 'e.ordering_key = @account', param: 'account', value: f.account },
      { sql: 'a.started_at >= @min', param: 'min', value: f.minTimeMs },
      { sql: 'a.started_at <= @max', param: 'max', value: f.maxTimeMs },
    ]);
    const attempts = rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      command: r.command,
      account: r.ordering_key,
      attempt: r.attempt,
      startedAt: r.started_at,
      url: r.url,
      status: r.status ?? undefined,
      latencyMs: r.latency_ms,
      errorCode: r.error_code ?? undefined,
      errorInfo: r.error_info ?? undefined,
      error: r.error ?? undefined,
      outcome: r.outcome,
    }));
    return { rows: attempts, scannedDownTo: scannedDownTo(window, rows.length, f.limit) };
  };
}
