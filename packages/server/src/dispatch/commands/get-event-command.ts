import { z } from 'zod';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import { buildCallbackRequest } from '../callback-request.ts';
import type { AttemptView, EventView } from '../outbox-admin.ts';
import type { CallbackAdminContext } from './admin-context.ts';
import { eventOut } from './list-events-command.ts';
import { maskHeaders, maskUrl } from './mask-secret.ts';

const schema = z.object({
  EventId: z.string({ error: 'INVALID_PARAMETERS' }).min(1, { error: 'INVALID_PARAMETERS' }),
});

/** Most attempts `get_event` lists (newest first). */
const MAX_ATTEMPTS = 200;

/**
 * `readwire_callback/get_event`: one callback event (`Event`, as `list_events` lists it), the request its next
 * attempt sends with the app's current config (`Request`: method, URL and headers, with `Sign`, token-like query
 * parameters and signatures masked as `••••`; null when callbacks are off), and its attempts, newest first
 * (`AttemptList`, at most 200), each with the response excerpt when this node ran it recently (else `null`).
 * Unknown `EventId`: 96003.
 */
export function getEventCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'get_event',
    jsonError: 'JSON_PARSE',
    async handle({ app, body }) {
      const { EventId } = parseBody(schema, body, 'INVALID_PARAMETERS');
      const found = await ctx.outbox.listEvents({ appId: app.sdkAppId, eventId: EventId, limit: 1 });
      const event = found.rows[0];
      if (!event) throw new ImError('CALLBACK_EVENT_NOT_FOUND', `no callback event ${EventId} in this app`);
      const attempts = await ctx.outbox.listAttempts({ appId: app.sdkAppId, eventId: EventId, limit: MAX_ATTEMPTS });
      const config = app.callback;
      let request = null;
      if (config) {
        const built = buildCallbackRequest(config, app.sdkAppId, requestEvent(event), Date.now());
        const r = built instanceof Promise ? await built : built;
        request = { Method: 'POST', Url: maskUrl(r.url), Headers: maskHeaders(r.headers) };
      }
      return {
        Event: eventOut(event),
        Request: request,
        AttemptList: (attempts?.rows ?? []).map((a) => attemptOut(ctx, a)),
      };
    },
  };
}

function requestEvent(e: EventView) {
  return {
    eventId: e.eventId,
    command: e.command,
    body: e.body,
    clientIp: e.clientIp,
    optPlatform: e.optPlatform,
    attempt: e.attempts + 1,
  };
}

function attemptOut(ctx: CallbackAdminContext, a: AttemptView): Record<string, unknown> {
  return {
    Attempt: a.attempt,
    StartedAtMs: a.startedAt,
    Url: maskUrl(a.url),
    Status: a.status ?? null,
    LatencyMs: a.latencyMs,
    Outcome: a.outcome,
    ErrorCode: a.errorCode ?? null,
    ErrorInfo: a.errorInfo ?? null,
    Error: a.error ?? '',
    ResponseExcerpt: ctx.observer.excerptOf(a.eventId, a.attempt) ?? null,
  };
}
