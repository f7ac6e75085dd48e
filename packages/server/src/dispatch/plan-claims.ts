import type { CallbackConfig, DispatcherConfig } from '../config/config-schema.ts';
import type { AppRuntime } from '../core/app-registry.ts';
import type { Endpoint } from './endpoint.ts';
import type { EndpointRegistry } from './endpoint-registry.ts';
import type { ClaimRequest } from './outbox.ts';

/** A lease outlives the request timeout by at least this much (a lease shorter than the timeout duplicates). */
export const LEASE_MARGIN_MS = 10_000;

/** How long a claim of an event of an app with `config` lasts: `leaseMs`, and always beyond the request timeout. */
export function leaseMsFor(options: DispatcherConfig, config: CallbackConfig): number {
  return Math.max(options.leaseMs, config.timeoutMs + LEASE_MARGIN_MS);
}

/** One app's claim and the endpoint it fills. */
export interface PlannedClaim {
  app: AppRuntime;
  ep: Endpoint;
  request: ClaimRequest;
}

/** The claims to make now, and whether every app with a callback URL got one (`complete`). */
export interface ClaimPlan {
  claims: PlannedClaim[];
  complete: boolean;
}

/**
 * How many events to claim per app now: each app with a callback URL gets what its endpoint has room for (free
 * slots, breaker allowance), at most `claimBatch`. Apps sharing an endpoint share its room; `rotation` changes which
 * of them goes first, so none is always served last.
 *
 * A claim takes at most half of an endpoint's free room (all of it when only one slot is free): the room a claim in
 * flight holds is refused to the events that writes lease at insert meanwhile, so a claim holding all of it would
 * leave those events to the next claim (a claim, slower than a lease at insert, for every event written while one is
 * in flight). A backlog still drains at the endpoint's full concurrency: each attempt that ends wakes another claim.
 */
export function planClaims(
  apps: AppRuntime[],
  endpoints: EndpointRegistry,
  options: DispatcherConfig,
  rotation: number,
): ClaimPlan {
  const out: PlannedClaim[] = [];
  let complete = true;
  const room = new Map<Endpoint, number>();
  for (let i = 0; i < apps.length; i++) {
    const app = apps[(i + rotation) % apps.length]!;
    const config = app.callback;
    if (!config) continue;
    const ep = endpoints.of(config.url);
    const available = room.get(ep) ?? ep.available();
    const limit = Math.min(Math.ceil(available / 2), options.claimBatch);
    if (limit <= 0) {
      complete = false;
      continue;
    }
    room.set(ep, available - limit);
    out.push({ app, ep, request: { appId: app.sdkAppId, limit, leaseMs: leaseMsFor(options, config) } });
  }
  return { claims: out, complete };
}
