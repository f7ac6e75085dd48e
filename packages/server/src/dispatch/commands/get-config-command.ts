import { z } from 'zod';
import type { CallbackConfig } from '../../config/config-schema.ts';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import { retryDelaysS } from '../retry-schedule.ts';
import { callbackUrlProblem } from '../ssrf-guard.ts';
import type { CallbackAdminContext } from './admin-context.ts';
import { maskSecret } from './mask-secret.ts';

const schema = z.object({ ShowSecrets: z.boolean({ error: 'INVALID_PARAMETERS' }).optional() });

/** The config as answered: secrets only when asked for. */
export function configView(config: CallbackConfig, showSecrets: boolean): Record<string, unknown> {
  const { token, signingSecret, ...rest } = config;
  return showSecrets ? { ...rest, token, signingSecret } : rest;
}

/**
 * `readwire_callback/get_config`: the app's effective callback config (`Callback`, or null when callbacks are
 * off), where it came from (`Source`: `file` or `set_config`), whether a token / signing secret is set, and the
 * retry schedule in effect. `token` and `signingSecret` are included only with `"ShowSecrets": true`; `TokenMasked`
 * and `SigningSecretMasked` show them as `••••` plus the last four characters (null when unset). `UrlVerdict`
 * (`{Allowed, Reason}`) is the SSRF rule's judgement of the URL (the address it resolves to is checked again at
 * each connection).
 */
export function getConfigCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'get_config',
    jsonError: 'JSON_PARSE',
    handle({ app, body }) {
      const b = parseBody(schema, body, 'INVALID_PARAMETERS');
      const config = app.callback;
      return Promise.resolve({
        Callback: config ? configView(config, b.ShowSecrets === true) : null,
        Source: ctx.sources.get(app.sdkAppId) ?? 'file',
        TokenSet: config?.token !== undefined,
        SigningSecretSet: config?.signingSecret !== undefined,
        RetryScheduleSeconds: config ? retryDelaysS(config.retry) : [],
        TokenMasked: maskSecret(config?.token),
        SigningSecretMasked: maskSecret(config?.signingSecret),
        UrlVerdict: config ? urlVerdict(config.url, ctx.allowPrivateCallbackUrls) : null,
      });
    },
  };
}

/** The SSRF rule's verdict on a callback URL, as `get_config` answers it. */
export function urlVerdict(url: string, allowPrivate: boolean): { Allowed: boolean; Reason: string } {
  const problem = callbackUrlProblem(url, allowPrivate);
  if (problem) return { Allowed: false, Reason: problem };
  return {
    Allowed: true,
    Reason: allowPrivate
      ? 'allowed: private and loopback addresses are allowed (allowPrivateCallbackUrls)'
      : 'allowed: public host; each connection is refused if it resolves to a private or loopback address',
  };
}
