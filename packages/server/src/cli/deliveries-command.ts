import { callAdmin, parseTime, type AdminTarget } from '../dispatch/cli/admin-client.ts';
import { ADMIN_OPTIONS, adminTarget } from './admin-options.ts';
import { defineCommand, UsageError } from './cli-command.ts';

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
export const deliveriesCommand = defineCommand({
  name: 'deliveries',
  summary: 'List callback events and their delivery attempts on a running server.',
  usage: '(--config FILE | --sdkappid N --key KEY) [--url URL] [filters] [--event ID] [--json]',
  description:
    'Lists callback events, newest first, with their state (pending, in-flight, waiting, delivered, dead), ' +
    "attempt count and last error; with --event, that event's delivery attempts (HTTP status, latency, error).",
  options: {
    ...ADMIN_OPTIONS,
    state: { type: 'string', value: 'STATE', description: 'Only events in this state: pending, delivered or dead.' },
    command: {
      type: 'string',
      value: 'CMD',
      description: 'Only this callback command, e.g. C2C.CallbackAfterMsgReport.',
    },
    account: { type: 'string', value: 'ID', description: 'Only events of this account (the ordering key).' },
    since: {
      type: 'string',
      value: 'TIME',
      description: 'Only events created since: 90s, 10m, 2h, 7d, an ISO date or Unix ms.',
    },
    until: { type: 'string', value: 'TIME', description: 'Only events created until (same forms as --since).' },
    limit: { type: 'string', value: 'N', description: 'Most events to list (default 100).' },
    event: { type: 'string', value: 'ID', description: "List this event's delivery attempts instead." },
    json: { type: 'boolean', description: 'Print JSON instead of a table.' },
  },
  examples: [
    'readwire deliveries --config readwire.json --state dead --since 24h',
    'readwire deliveries --config readwire.json --account alice --limit 20',
    'readwire deliveries --config readwire.json --event 6f1c2a4e-8a53-4d0e-9a57-0b6a3c2f51d0',
    'readwire deliveries --sdkappid 1400000000 --key "$(cat data/secret-key)" --json',
  ],
  async action(o) {
    if (o.limit !== undefined && !/^[1-9]\d*$/.test(o.limit))
      throw new UsageError('--limit must be a positive integer');
    const target = adminTarget(o);
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
    process.stdout.write(
      `${events.length} event(s)${complete ? '' : ' (more: narrow the filters or raise --limit)'}\n`,
    );
  },
});

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
