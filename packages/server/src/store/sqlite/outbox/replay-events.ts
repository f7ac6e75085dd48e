import type { Database } from 'better-sqlite3';
import type { ReplayFilter, ReplayOneResult } from '../../../dispatch/outbox-admin.ts';
import type { EventState } from '../../../dispatch/outbox.ts';
import { FilteredStatements } from './filter-sql.ts';

const REPLAY_SET = `state = 'pending', parked = 0, next_attempt_at = @now, retry_base = attempts, lease_owner = NULL,
  lease_until = NULL, delivered_at = NULL`;

const COUNT_DEAD = `SELECT count(*) AS n FROM callback_events INDEXED BY callback_events_dead
  WHERE app_id = @app AND state = 'dead' {where}`;

const REPLAY_DEAD = `UPDATE callback_events SET ${REPLAY_SET} WHERE id IN (
  SELECT id FROM callback_events INDEXED BY callback_events_dead WHERE app_id = @app AND state = 'dead' {where})`;

function deadConditions(f: ReplayFilter) {
  return [
    { sql: 'command = @command', param: 'command', value: f.command },
    { sql: 'ordering_key = @account', param: 'account', value: f.account },
    { sql: 'created_at >= @min', param: 'min', value: f.minTimeMs },
    { sql: 'created_at <= @max', param: 'max', value: f.maxTimeMs },
  ];
}

/**
 * Replaying events: a delivered or dead event becomes pending and due now with a fresh retry schedule
 * (`retry_base = attempts`; `attempts`, hence `X-Readwire-Attempt`, keeps counting). A pending event that waits for
 * a retry becomes due now. An event in flight (unexpired lease) or parked behind an earlier event is left alone:
 * it is going to be sent anyway. A replayed event is not parked; the claim's head check puts it back in order with
 * the key's other pending events (it precedes those not yet sent, since its id is lower).
 *
 * Writes must run inside a write transaction.
 */
export function prepareReplayEvents(db: Database) {
  const find = db.prepare<[string, number], { state: EventState }>(
    'SELECT state FROM callback_events WHERE event_id = ? AND app_id = ?',
  );
  const replayOne = db.prepare<{ eventId: string; app: number; now: number }>(
    `UPDATE callback_events SET ${REPLAY_SET} WHERE event_id = @eventId AND app_id = @app
     AND (state != 'pending' OR ((lease_until IS NULL OR lease_until <= @now) AND parked = 0))`,
  );
  const statements = new FilteredStatements(db);
  return {
    /** Replays one event by id. */
    replayEvent(appId: number, eventId: string, now: number): ReplayOneResult {
      const row = find.get(eventId, appId);
      if (!row) return { found: false, replayed: false };
      const replayed = replayOne.run({ eventId, app: appId, now }).changes > 0;
      return { found: true, previousState: row.state, replayed };
    },
    /** Replays every dead event matching `f`; returns how many. */
    replayDead(f: ReplayFilter, now: number): number {
      return statements.run(REPLAY_DEAD, { app: f.appId, now }, deadConditions(f));
    },
    /** Counts the dead events matching `f` (read-only). */
    countDead(f: ReplayFilter): number {
      return statements.all<{ n: number }>(COUNT_DEAD, { app: f.appId }, deadConditions(f))[0]?.n ?? 0;
    },
  };
}
