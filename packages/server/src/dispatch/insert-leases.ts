import type { DispatcherConfig } from '../config/config-schema.ts';
import type { AppRegistry, AppRuntime } from '../core/app-registry.ts';
import type { Endpoint } from './endpoint.ts';
import type { ClaimedEvent, InsertClaims, InsertLease } from './outbox.ts';
import { leaseMsFor } from './plan-claims.ts';

/** What claim at insert needs from the dispatcher. */
export interface InsertLeaseHost {
  /** The dispatcher's lease owner. */
  owner: string;
  apps: AppRegistry;
  options: DispatcherConfig;
  endpointFor(url: string): Endpoint;
  /** Room the claims of the outbox batch in flight may still take at `ep`. */
  promised(ep: Endpoint): number;
  /** True once the dispatcher is stopping: no new leases. */
  stopping(): boolean;
  /** Starts the first attempt of an event leased at insert. */
  start(app: AppRuntime, ep: Endpoint, event: ClaimedEvent): void;
  /** Hands back an event leased at insert that will not be sent now (it is due again at once). */
  release(event: ClaimedEvent): void;
}

/**
 * The dispatcher's side of claim at insert ({@link InsertClaims}): leases for new events as long as their endpoint
 * has room — free slots and breaker allowance, less the room already promised to a claim in flight and to earlier
 * leases of the same transaction — and the start of their attempts once the transaction committed.
 */
export class InsertLeases implements InsertClaims {
  private readonly host: InsertLeaseHost;
  /** Leases given in the current transaction and not yet started, per endpoint. */
  private readonly given = new Map<Endpoint, number>();

  constructor(host: InsertLeaseHost) {
    this.host = host;
  }

  reset(): void {
    this.given.clear();
  }

  take(appId: number): InsertLease | undefined {
    const config = this.host.apps.get(appId)?.callback;
    if (!config || this.host.stopping()) return undefined;
    const ep = this.host.endpointFor(config.url);
    const given = this.given.get(ep) ?? 0;
    if (ep.available() - this.host.promised(ep) - given <= 0) return undefined;
    this.given.set(ep, given + 1);
    return { owner: this.host.owner, leaseMs: leaseMsFor(this.host.options, config) };
  }

  untake(appId: number): void {
    const config = this.host.apps.get(appId)?.callback;
    if (!config) return;
    const ep = this.host.endpointFor(config.url);
    const given = this.given.get(ep) ?? 0;
    if (given > 0) this.given.set(ep, given - 1);
  }

  adopt(events: ClaimedEvent[]): void {
    for (const event of events) {
      const app = this.host.apps.get(event.appId);
      const config = app?.callback;
      if (!app || !config || this.host.stopping()) {
        this.host.release(event);
        continue;
      }
      const ep = this.host.endpointFor(config.url);
      const given = this.given.get(ep) ?? 0;
      if (given > 0) this.given.set(ep, given - 1);
      this.host.start(app, ep, event);
    }
  }
}
