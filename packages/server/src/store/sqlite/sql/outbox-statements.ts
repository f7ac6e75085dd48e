import type { Database, Statement } from 'better-sqlite3';

/** Inserting callback events (the outbox). Runs inside the write transaction of the change being reported. */
export function prepareOutboxInsert(db: Database) {
  return db.prepare(`INSERT INTO callback_events (event_id, app_id, command, ordering_key, body, client_ip, opt_platform,
    state, attempts, next_attempt_at, created_at) VALUES (@eventId, @app, @command, @orderingKey, @body, @clientIp,
    @optPlatform, 'pending', 0, @now, @now)`) as Statement;
}
