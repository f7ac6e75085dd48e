import { z } from 'zod';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import type { EventView } from '../outbox-admin.ts';
import { DEFAULT_LIST_LIMIT, type CallbackAdminContext } from './admin-context.ts';
import { cursorField, limitField, textFilter, timeFilter } from './list-schemas.ts';
import { cursorPage } from './cursor-page.ts';

const schema = z.object({
  State: z.enum(['pending', 'delivered', 'dead'], { error: 'INVALID_PARAMETERS' }).optional(),
  Command: textFilter,
  Account: textFilter,
  MinTimeMs: timeFilter,
  MaxTimeMs: timeFilter,
  Limit: limitField,
  Cursor: cursorField,
});

/** An event as the listings answer it. */
export function eventOut(e: EventView): Record<string, unknown> {
  let body: unknown = e.body;
  try {
    body = JSON.parse(e.body);
  } catch {
    // stored bodies are JSON; keep the text if one is not
  }
  return {
    EventId: e.eventId,
    Command: e.command,
    Account: e.account,
    State: e.state,
    Attempts: e.attempts,
    InFlight: e.inFlight,
    Waiting: e.waiting,
    NextAttemptAtMs: e.nextAttemptAt ?? null,
    CreatedAtMs: e.createdAt,
    DeliveredAtMs: e.deliveredAt ?? null,
    LastError: e.lastError ?? '',
    Body: body,
  };
}

/**
 * `readwire_callback/list_events`: the app's callback events, newest first, filtered by `State` (pending, delivered,
 * dead), `Command`, `Account` (the ordering key: Report_Account or From_Account) and creation time
 * (`MinTimeMs`/`MaxTimeMs`). `Limit` ≤ 1000 (default 100); pass `NextCursor` as `Cursor` for the next page
 * (`Complete: 1` on the last). A page examines a bounded range of events (50,000 ids), so a filter that few events
 * match may answer fewer than `Limit` — even none — with `Complete: 0`: go on with its `NextCursor`.
 */
export function listEventsCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'list_events',
    jsonError: 'JSON_PARSE',
    async handle({ app, body }) {
      const b = parseBody(schema, body, 'INVALID_PARAMETERS');
      const limit = b.Limit ?? DEFAULT_LIST_LIMIT;
      const events = await ctx.outbox.listEvents({
        appId: app.sdkAppId,
        state: b.State,
        command: b.Command,
        account: b.Account,
        minTimeMs: b.MinTimeMs,
        maxTimeMs: b.MaxTimeMs,
        beforeRowId: b.Cursor,
        limit: limit + 1,
      });
      const { page, ...paging } = cursorPage(events, limit, (e) => e.rowId);
      return { Events: page.map(eventOut), ...paging };
    },
  };
}
