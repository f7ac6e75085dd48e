import type { ClaimedEvent, EventState } from '../../../dispatch/outbox.ts';

/** A `callback_events` row (migrations 0001 + 0002). */
export interface EventRow {
  id: number;
  event_id: string;
  app_id: number;
  command: string;
  ordering_key: string;
  body: string;
  client_ip: string;
  opt_platform: string;
  state: EventState;
  attempts: number;
  retry_base: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  delivered_at: number | null;
  last_error: string | null;
  parked: number;
}

/** The columns a claim reads. */
export const CLAIM_COLUMNS =
  'id, event_id, app_id, command, ordering_key, body, client_ip, opt_platform, attempts, retry_base, created_at';

/** A row as read by a claim (before its lease is written). */
export type ClaimRow = Pick<
  EventRow,
  | 'id'
  | 'event_id'
  | 'app_id'
  | 'command'
  | 'ordering_key'
  | 'body'
  | 'client_ip'
  | 'opt_platform'
  | 'attempts'
  | 'retry_base'
  | 'created_at'
>;

/** The claimed event for a row whose lease was just written (`attempts` already incremented in the row). */
export function toClaimedEvent(row: ClaimRow, owner: string): ClaimedEvent {
  const attempt = row.attempts + 1;
  return {
    rowId: row.id,
    eventId: row.event_id,
    appId: row.app_id,
    command: row.command,
    orderingKey: row.ordering_key,
    body: row.body,
    clientIp: row.client_ip,
    optPlatform: row.opt_platform,
    attempt,
    scheduleAttempt: attempt - row.retry_base,
    createdAt: row.created_at,
    owner,
  };
}
