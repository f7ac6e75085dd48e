import { z } from 'zod';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import type { CallbackAdminContext } from './admin-context.ts';
import { textFilter, timeFilter } from './list-schemas.ts';

const schema = z
  .object({
    EventId: textFilter,
    AllDead: z.boolean({ error: 'INVALID_PARAMETERS' }).optional(),
    Command: textFilter,
    Account: textFilter,
    MinTimeMs: timeFilter,
    MaxTimeMs: timeFilter,
    DryRun: z.literal([0, 1], { error: 'INVALID_PARAMETERS' }).optional(),
  })
  .refine((b) => (b.EventId !== undefined) !== (b.AllDead === true), {
    error: 'INVALID_PARAMETERS',
    path: ['EventId'],
  });

/**
 * `readwire_callback/replay`: sends events again. With `EventId`, that event (delivered or dead: again with a fresh
 * retry schedule; pending and waiting for a retry: now; 96003 if unknown). With `"AllDead": true`, every dead event
 * of the app, optionally narrowed by `Command`, `Account` and creation time; with `"DryRun": 1` too, nothing is
 * replayed and the answer is `Count`, how many would be (for a confirmation). Answers `Replayed` (count) and, for one
 * event, `PreviousState`. Replayed events keep their event id, so receivers recognise them.
 */
export function replayCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'replay',
    jsonError: 'JSON_PARSE',
    async handle({ app, body }) {
      const b = parseBody(schema, body, 'INVALID_PARAMETERS');
      if (b.EventId !== undefined) {
        if (b.DryRun === 1) throw new ImError('INVALID_PARAMETERS', 'DryRun goes with AllDead, not with EventId');
        const r = await ctx.outbox.replayEvent(app.sdkAppId, b.EventId);
        if (!r.found) throw new ImError('CALLBACK_EVENT_NOT_FOUND', `no callback event ${b.EventId} in this app`);
        if (r.replayed) ctx.wake();
        return { Replayed: r.replayed ? 1 : 0, PreviousState: r.previousState };
      }
      const filter = {
        appId: app.sdkAppId,
        command: b.Command,
        account: b.Account,
        minTimeMs: b.MinTimeMs,
        maxTimeMs: b.MaxTimeMs,
      };
      if (b.DryRun === 1) return { Count: await ctx.outbox.countDead(filter), Replayed: 0 };
      const n = await ctx.outbox.replayDead(filter);
      if (n > 0) ctx.wake();
      return { Replayed: n };
    },
  };
}
