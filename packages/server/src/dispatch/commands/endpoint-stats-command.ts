import { z } from 'zod';
import type { CommandDef } from '../../rest/command.ts';
import { parseBody } from '../../rest/parse-body.ts';
import { WINDOW_SECONDS } from '../endpoint-window.ts';
import { maskUrl } from './mask-secret.ts';
import type { CallbackAdminContext } from './admin-context.ts';

const schema = z.object({});

/** The origin of a URL, or the URL itself when it does not parse. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * `readwire_callback/endpoint_stats`: per endpoint (origin of a callback URL) the app's attempts made by this node
 * over the last five minutes (`Attempts`, `Delivered`, `Failed`, `SuccessRate`, approximate `LatencyP50Ms` and
 * `LatencyP99Ms`), the endpoint's circuit breaker (`closed`, `open`, `half-open`) and attempts in flight (shared by
 * every app using the endpoint), and on the app's current endpoint the age of its oldest pending event (from the
 * store, so for the whole deployment). The current endpoint comes first and is listed even without attempts.
 */
export function endpointStatsCommand(ctx: CallbackAdminContext): CommandDef {
  return {
    service: 'readwire_callback',
    command: 'endpoint_stats',
    jsonError: 'JSON_PARSE',
    async handle({ app, body }) {
      parseBody(schema, body, 'INVALID_PARAMETERS');
      const now = Date.now();
      const current = app.callback ? originOf(app.callback.url) : undefined;
      const origins = ctx.observer.originsOf(app.sdkAppId).filter((o) => o !== current);
      if (current !== undefined) origins.unshift(current);
      const stats = await ctx.outbox.stats();
      const oldest = stats.find((s) => s.appId === app.sdkAppId)?.oldestPendingAt;
      return {
        Endpoints: origins.map((origin) => {
          const f = ctx.observer.windowOf(app.sdkAppId, origin)?.figures();
          const ep = ctx.endpointOf(origin);
          return {
            Url: origin === current ? maskUrl(app.callback!.url) : origin,
            Origin: origin,
            Current: origin === current ? 1 : 0,
            Breaker: ep?.breaker.state ?? 'closed',
            InFlight: ep?.active ?? 0,
            WindowSeconds: WINDOW_SECONDS,
            Attempts: f?.attempts ?? 0,
            Delivered: f?.delivered ?? 0,
            Failed: f?.failed ?? 0,
            SuccessRate: f?.successRate ?? null,
            LatencyP50Ms: f?.latencyP50Ms ?? null,
            LatencyP99Ms: f?.latencyP99Ms ?? null,
            OldestPendingAgeMs: origin === current && oldest !== undefined ? Math.max(0, now - oldest) : null,
          };
        }),
      };
    },
  };
}
