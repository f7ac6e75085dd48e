import { z } from 'zod';
import { callbackConfigSchema } from '../../config/config-schema.ts';
import { formatIssues } from '../../config/parse-config.ts';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import { callbackUrlProblem } from '../ssrf-guard.ts';
import type { CallbackAdminContext } from './admin-context.ts';

const schema = z.object({ Callback: z.unknown() }).refine((b) => b.Callback !== undefined, {
  error: 'INVALID_PARAMETERS',
  path: ['Callback'],
});

/**
 * `readwire_callback/set_config`: replaces the app's callback config with `Callback` (the same object as `callback`
 * in the configuration file; `null` turns callbacks off). It is validated (96001), its URL checked against the SSRF
 * rules (96002), saved (it overrides the file from then on, across restarts), and in effect for the next attempt.
 * Events already queued keep their place and go to the new URL.
 */
export function setConfigCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'set_config',
    jsonError: 'JSON_PARSE',
    async handle({ app, body }) {
      const raw = parseBody(schema, body, 'INVALID_PARAMETERS').Callback;
      let config = undefined;
      if (raw !== null) {
        const r = callbackConfigSchema.safeParse(raw);
        if (!r.success)
          throw new ImError('CALLBACK_CONFIG_INVALID', `invalid Callback: ${formatIssues(r.error.issues)}`);
        const problem = callbackUrlProblem(r.data.url, ctx.allowPrivateCallbackUrls);
        if (problem) throw new ImError('CALLBACK_URL_REFUSED', `Callback.url: ${problem}`);
        config = r.data;
      }
      await ctx.outbox.saveConfig(app.sdkAppId, config ?? null);
      app.callback = config;
      ctx.sources.set(app.sdkAppId, 'set_config');
      ctx.configSaved();
      ctx.wake();
      return {};
    },
  };
}
