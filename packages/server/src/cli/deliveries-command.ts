import { parseArgs } from 'node:util';
import { ADMIN_FLAGS, callAdmin, parseTime, resolveTarget, type AdminTarget } from '../dispatch/cli/admin-client.ts';

/** Usage of `readwire deliveries`. */
export const DELIVERIES_USAGE = `usage: readwire deliveries [--url URL] (--config FILE [--sdkappid N] | --sdkappid N --key K) [--admin ID]
         [--state pending|delivered|dead] [--command C] [--account A] [--since 1h] [--until TIME] [--limit N]
         [--event EVENT_ID] [--json]
  Lists callback events, newest first; with --event, that event's delivery attempts.
`;

/** An event as `list_events` answers it. */
interface EventOut {
  EventId: string;
  Command: string;
  Account: string;
  State: string;
  Attempts: number;
  InFlight: boolean;
  Waiting: boolean;
  CreatedAtMs: number;
  LastError: string;
}

/** An attempt as `list_attempts` answers it. */
interface AttemptOut {
  Attempt: number;
  StartedAtMs: number;
  HttpStatus: number | null;
  LatencyMs: number;
  ErrorCode: number | null;
  Error: string;
  Outcome: string;
}

const when = (ms: number) => new Date(ms).toISOString();

function eventLine(e: EventOut): string {
  const state = e.InFlight ? 'in-flight' : e.Waiting ? 'waiting' : e.State;
  const err = e.LastError !== '' ? `  ${e.LastError}` : '';
  const cols = [when(e.CreatedAtMs), state.padEnd(9), String(e.Attempts).padStart(3), e.Command.padEnd(28)];
  return `${cols.join('  ')}  ${e.Account.padEnd(16)}  ${e.EventId}${err}`;
}

function attemptLine(a: AttemptOut): string {
  const status = a.HttpStatus === null ? '---' : String(a.HttpStatus);
  const code = a.ErrorCode === null ? '' : `  ErrorCode ${a.ErrorCode}`;
  const err = a.Error !== '' ? `  ${a.Error}` : '';
  const cols = [when(a.StartedAtMs), `#${String(a.Attempt).padEnd(3)}`, a.Outcome.padEnd(9), status];
  return `${cols.join('  ')}  ${a.LatencyMs.toFixed(1).padStart(8)} ms${code}${err}`;
}

/** `readwire deliveries`: lists callback events (or one event's attempts) of a running server. */
export async function deliveriesCommand(args: string[]): Promise<void> {
  const { values: o } = parseArgs({
    args,
    options: {
      ...ADMIN_FLAGS,
      state: { type: 'string' },
      command: { type: 'string' },
      account: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      event: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (o.help) {
    process.stdout.write(DELIVERIES_USAGE);
    return;
  }
  const target = resolveTarget(o);
  const filters = {
    Command: o.command,
    Account: o.account,
    MinTimeMs: parseTime(o.since),
    MaxTimeMs: parseTime(o.until),
    Limit: o.limit === undefined ? undefined : Number(o.limit),
  };
  if (o.event !== undefined) {
    const r = await callAdmin(target, 'list_attempts', { EventId: o.event, ...filters });
    if (o.json) process.stdout.write(`${JSON.stringify(r.Attempts, null, 2)}\n`);
    else for (const a of r.Attempts as AttemptOut[]) process.stdout.write(`${attemptLine(a)}\n`);
    return;
  }
  const { events, complete } = await listEvents(target, { State: o.state, ...filters });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
    return;
  }
  for (const e of events) process.stdout.write(`${eventLine(e)}\n`);
  process.stdout.write(`${events.length} event(s)${complete ? '' : ' (more: narrow the filters or raise --limit)'}\n`);
}

/**
 * Up to `Limit` (default 100) events: follows `NextCursor` while pages come back short without being the last (a
 * page scans a bounded range of events, so a rare account or command may take several).
 */
async function listEvents(
  target: AdminTarget,
  query: Record<string, unknown> & { Limit: number | undefined },
): Promise<{ events: EventOut[]; complete: boolean }> {
  const limit = query.Limit ?? 100;
  const events: EventOut[] = [];
  let cursor: number | undefined;
  for (;;) {
    const r = await callAdmin(target, 'list_events', { ...query, Limit: limit - events.length, Cursor: cursor });
    events.push(...(r.Events as EventOut[]));
    if (r.Complete === 1) return { events, complete: true };
    if (events.length >= limit) return { events, complete: false };
    cursor = r.NextCursor as number;
  }
}
