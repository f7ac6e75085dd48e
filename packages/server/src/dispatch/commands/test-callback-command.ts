import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import type { CallbackAdminContext } from './admin-context.ts';
import { maskUrl } from './mask-secret.ts';

const schema = z.object({});

/** The `CallbackCommand` of a test callback (no real event has it, so a receiver can tell it apart). */
export const TEST_CALLBACK_COMMAND = 'Readwire.TestCallback';

/**
 * `readwire_callback/test_callback`: sends one test callback to the app's configured URL now, outside the queue
 * (nothing is stored or retried), signed as real callbacks are, with `CallbackCommand=Readwire.TestCallback` and
 * the body `{"CallbackCommand":"Readwire.TestCallback","EventTime":<ms>,"Test":1}`. Answers what happened: `Url`
 * (secrets masked), `Status` (HTTP status or null), `LatencyMs`, `Ok` (1 when the answer counts as delivered: HTTP
 * 200 with a JSON object), `ResponseExcerpt` (first 512 characters), the answer's `ErrorCode`/`ErrorInfo` and the
 * failure (`Error`). Callbacks off: 96001.
 */
export function testCallbackCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'test_callback',
    jsonError: 'JSON_PARSE',
    async handle({ app, body, origin }) {
      parseBody(schema, body, 'INVALID_PARAMETERS');
      const config = app.callback;
      if (!config) throw new ImError('CALLBACK_CONFIG_INVALID', 'callbacks are off for this app: set_config first');
      const r = await ctx.sendNow(config, app.sdkAppId, {
        eventId: `test-${randomUUID()}`,
        command: TEST_CALLBACK_COMMAND,
        body: JSON.stringify({ CallbackCommand: TEST_CALLBACK_COMMAND, EventTime: Date.now(), Test: 1 }),
        clientIp: origin.clientIp,
        optPlatform: origin.optPlatform,
        attempt: 1,
      });
      return {
        Url: maskUrl(r.url),
        Ok: r.ok ? 1 : 0,
        Status: r.status ?? null,
        LatencyMs: Math.round(r.latencyMs),
        ResponseExcerpt: r.excerpt ?? null,
        ResponseErrorCode: r.errorCode ?? null,
        ResponseErrorInfo: r.errorInfo ?? null,
        Error: r.error ?? '',
      };
    },
  };
}
