import type { Sql } from '../pg-pool.ts';

const REPLAY_SET = `state = 'pending', parked = 0, next_attempt_at = $2, retry_base = attempts, lease_owner = NULL,
  lease_until = NULL, delivered_at = NULL`;

/**
 * Operator-side and maintenance statements of the outbox.
 *
 * **Locks.** Replays, pruning and repair update or delete event rows by primary key or small ranges; pruning takes
 * its rows with `FOR UPDATE SKIP LOCKED` (another node pruning at once takes different ones). Saving a callback
 * config upserts one `callback_configs` row. Listings and stats are plain reads.
 */
export const adminSql = {
  /** (event id, app): the event's state. */
  find: { name: 'rw_admin_find', text: `SELECT state FROM callback_events WHERE event_id = $1 AND app_id = $2` },
  /** (event id, now, app): replays one event unless it is in flight or waiting behind an earlier one. */
  replayOne: {
    name: 'rw_admin_replay_one',
    text: `UPDATE callback_events SET ${REPLAY_SET} WHERE event_id = $1 AND app_id = $3
      AND (state <> 'pending' OR ((lease_until IS NULL OR lease_until <= $2) AND parked = 0))`,
  },
  /** Template (app, filters): counts the app's dead events (reads only, no locks). */
  countDead: `SELECT count(*)::int AS n FROM callback_events WHERE app_id = $1 AND state = 'dead' {where}`,
  /** Template (app, now, filters): replays the app's dead events. */
  replayDead: `UPDATE callback_events SET ${REPLAY_SET.replaceAll('$2', '$1')} WHERE id IN (
      SELECT id FROM callback_events WHERE app_id = $2 AND state = 'dead' {where})`,
  /** (before, limit): deletes delivered events (and their attempts) delivered before a time. */
  pruneDelivered: {
    name: 'rw_admin_prune_delivered',
    text: `WITH ids AS (SELECT id FROM callback_events WHERE state = 'delivered' AND delivered_at < $1
          ORDER BY delivered_at LIMIT $2 FOR UPDATE SKIP LOCKED),
        da AS (DELETE FROM callback_attempts WHERE event_row IN (SELECT id FROM ids))
      DELETE FROM callback_events WHERE id IN (SELECT id FROM ids)`,
  },
  /** (me): the other owners holding leases on pending events. */
  leaseOwners: {
    name: 'rw_admin_lease_owners',
    text: `SELECT DISTINCT lease_owner FROM callback_events WHERE state = 'pending' AND lease_owner IS NOT NULL
      AND lease_owner <> $1`,
  },
  /**
   * (now, me, gone owners[]): ends the leases of owners that are gone and the expired leases of other owners (their
   * events are due at once; the interrupted attempt does not use the retry schedule).
   */
  recoverLeases: {
    name: 'rw_admin_recover_leases',
    text: `UPDATE callback_events SET lease_owner = NULL, lease_until = NULL,
        next_attempt_at = least(next_attempt_at, $1), retry_base = retry_base + 1
      WHERE state = 'pending' AND lease_owner IS NOT NULL AND lease_owner <> $2
        AND (lease_until <= $1 OR lease_owner = ANY($3::text[]))`,
  },
  /** Unparks heads parked although nothing pending precedes them. */
  repairParked: {
    name: 'rw_admin_repair_parked',
    text: `UPDATE callback_events SET parked = 0 WHERE parked = 1 AND id IN (
      SELECT min(id) FROM callback_events WHERE state = 'pending' GROUP BY app_id, ordering_key)`,
  },
  /**
   * Pending and dead counts and the oldest pending event per app: one arm per partial index (`callback_events_order`
   * for pending events, `callback_events_dead` for dead ones), so delivered events — nearly every row — are never read.
   */
  stats: {
    name: 'rw_admin_stats',
    text: `SELECT app_id, sum(pending)::bigint AS pending, sum(dead)::bigint AS dead, min(oldest) AS oldest FROM (
        SELECT app_id, count(*) AS pending, 0::bigint AS dead, min(created_at) AS oldest FROM callback_events
          WHERE state = 'pending' GROUP BY app_id
        UNION ALL
        SELECT app_id, 0::bigint, count(*), NULL::bigint FROM callback_events WHERE state = 'dead' GROUP BY app_id) t
      GROUP BY app_id ORDER BY app_id`,
  },
  /** Every saved callback config. */
  loadConfigs: {
    name: 'rw_admin_load_configs',
    text: `SELECT app_id, config, updated_at FROM callback_configs ORDER BY app_id`,
  },
  /** (app, config json, now): saves one. */
  saveConfig: {
    name: 'rw_admin_save_config',
    text: `INSERT INTO callback_configs (app_id, config, updated_at) VALUES ($1, $2, $3)
      ON CONFLICT (app_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
  },
  maxEventId: { name: 'rw_admin_max_event_id', text: `SELECT coalesce(max(id), 0) AS id FROM callback_events` },
  maxAttemptId: { name: 'rw_admin_max_attempt_id', text: `SELECT coalesce(max(id), 0) AS id FROM callback_attempts` },
  /** (event id, app): an event's row id. */
  rowOf: { name: 'rw_admin_row_of', text: `SELECT id FROM callback_events WHERE event_id = $1 AND app_id = $2` },
} satisfies Record<string, Sql | string>;
