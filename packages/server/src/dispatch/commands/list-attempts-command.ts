import { z } from 'zod';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import type { AttemptView } from '../outbox-admin.ts';
import { DEFAULT_LIST_LIMIT, type CallbackAdminContext } from './admin-context.ts';
import { cursorField, limitField, textFilter, timeFilter } from './list-schemas.ts';
import { cursorPage } from './cursor-page.ts';

const schema = z.object({
  EventId: textFilter,
  Outcome: z.enum(['delivered', 'retry', 'dead', 'aborted'], { error: 'INVALID_PARAMETERS' }).optional(),
  Command: textFilter,
  Account: textFilter,
  MinTimeMs: timeFilter,
  MaxTimeMs: timeFilter,
  Limit: limitField,
  Cursor: cursorField,
});

function attemptOut(a: AttemptView): Record<string, unknown> {
  return {
    AttemptId: a.id,
    EventId: a.eventId,
    Command: a.command,
    Account: a.account,
    Attempt: a.attempt,
    StartedAtMs: a.startedAt,
    Url: a.url,
    HttpStatus: a.status ?? null,
    LatencyMs: a.latencyMs,
    ErrorCode: a.errorCode ?? null,
    ErrorInfo: a.errorInfo ?? null,
    Error: a.error ?? '',
    Outcome: a.outcome,
  };
}

/**
 * `readwire_callback/list_attempts`: recorded delivery attempts, newest first, filtered by `EventId` (96003 if
 * unknown), `Outcome` (delivered, retry, dead, aborted), `Command`, `Account` and start time. Each has the URL,
 * HTTP status, latency, the response's ErrorCode/ErrorInfo (truncated) and the error. Paged like `list_events`
 * (without `EventId`, a page examines at most 50,000 attempt ids).
 */
export function listAttemptsCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'list_attempts',
    jsonError: 'JSON_PARSE',
    async handle({ app, body }) {
      const b = parseBody(schema, body, 'INVALID_PARAMETERS');
      const limit = b.Limit ?? DEFAULT_LIST_LIMIT;
      const attempts = await ctx.outbox.listAttempts({
        appId: app.sdkAppId,
        eventId: b.EventId,
        outcome: b.Outcome,
        command: b.Command,
        account: b.Account,
        minTimeMs: b.MinTimeMs,
        maxTimeMs: b.MaxTimeMs,
        beforeId: b.Cursor,
        limit: limit + 1,
      });
      if (!attempts) throw new ImError('CALLBACK_EVENT_NOT_FOUND', `no callback event ${b.EventId} in this app`);
      const { page, ...paging } = cursorPage(attempts, limit, (a) => a.id);
      return { Attempts: page.map(attemptOut), ...paging };
    },
  };
}
