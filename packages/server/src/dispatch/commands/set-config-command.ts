import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { callbackConfigSchema } from '../../config/config-schema.ts';
import { formatIssues } from '../../config/parse-config.ts';
import { ImError } from '../../errors/im-error.ts';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import { callbackUrlProblem } from '../ssrf-guard.ts';
import type { CallbackAdminContext } from './admin-context.ts';

const schema = z
  .object({
    Callback: z.unknown().optional(),
    RotateSigningSecret: z.literal([0, 1], { error: 'INVALID_PARAMETERS' }).optional(),
    Token: z.string({ error: 'INVALID_PARAMETERS' }).min(1, { error: 'INVALID_PARAMETERS' }).max(128).optional(),
  })
  .refine(
    (b) => [b.Callback !== undefined, b.RotateSigningSecret === 1, b.Token !== undefined].filter(Boolean).length === 1,
    {
      error: 'INVALID_PARAMETERS',
      path: ['Callback'],
    },
  );

/** A new Standard Webhooks signing secret (`whsec_` and 32 random bytes in base64). */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * `readwire_callback/set_config`: replaces the app's callback config with `Callback` (the same object as `callback`
 * in the configuration file; `null` turns callbacks off). It is validated (96001), its URL checked against the SSRF
 * rules (96002), saved (it overrides the file from then on, across restarts), and in effect for the next attempt.
 * Events already queued keep their place and go to the new URL. With `"RotateSigningSecret": 1` instead of
 * `Callback`, the current config is kept and given a new random signing secret, answered once as `SigningSecret`;
 * with `"Token": "…"` instead, only the token is replaced (callbacks off: 96001 for both).
 */
export function setConfigCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'set_config',
    jsonError: 'JSON_PARSE',
    async handle({ app, body }) {
      const b = parseBody(schema, body, 'INVALID_PARAMETERS');
      if (b.RotateSigningSecret === 1 || b.Token !== undefined) {
        if (!app.callback) throw new ImError('CALLBACK_CONFIG_INVALID', 'callbacks are off: set a Callback first');
        const signingSecret = b.Token === undefined ? newSigningSecret() : undefined;
        const changed = signingSecret ? { ...app.callback, signingSecret } : { ...app.callback, token: b.Token };
        await ctx.outbox.saveConfig(app.sdkAppId, changed);
        app.callback = changed;
        ctx.sources.set(app.sdkAppId, 'set_config');
        ctx.configSaved();
        return signingSecret ? { SigningSecret: signingSecret } : {};
      }
      const raw = b.Callback;
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
