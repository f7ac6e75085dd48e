import type { DispatcherConfig } from '../config/config-schema.ts';
import { Endpoint } from './endpoint.ts';

/** Callback URLs whose origin is remembered (one per app, plus old ones after `set_config`). */
const MAX_CACHED_URLS = 1024;

/** The endpoints (origins of callback URLs) seen so far, each with its concurrency limit and circuit breaker. */
export class EndpointRegistry {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly origins = new Map<string, string>();
  private readonly options: DispatcherConfig;

  constructor(options: DispatcherConfig) {
    this.options = options;
  }

  /** The endpoint of a callback URL (created on first use; apps with the same origin share it). */
  of(url: string): Endpoint {
    let origin = this.origins.get(url);
    if (origin === undefined) {
      if (this.origins.size >= MAX_CACHED_URLS) this.origins.clear();
      origin = new URL(url).origin;
      this.origins.set(url, origin);
    }
    let ep = this.endpoints.get(origin);
    if (!ep) {
      const o = this.options;
      ep = new Endpoint(origin, o.concurrencyPerEndpoint, {
        failureThreshold: o.breakerFailureThreshold,
        openMs: o.breakerOpenMs,
        maxOpenMs: o.breakerMaxOpenMs,
      });
      this.endpoints.set(origin, ep);
    }
    return ep;
  }

  /** Every endpoint seen so far. */
  all(): Endpoint[] {
    return [...this.endpoints.values()];
  }

  /** The earliest time an open breaker lets a probe go, if any. */
  nextProbeAt(): number | undefined {
    let at: number | undefined;
    for (const ep of this.endpoints.values()) {
      const t = ep.breaker.retryAt;
      if (t !== undefined && (at === undefined || t < at)) at = t;
    }
    return at;
  }
}
