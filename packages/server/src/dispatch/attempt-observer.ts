import type { AppRuntime } from '../core/app-registry.ts';
import type { CoreEvents } from '../core/core-events.ts';
import type { Endpoint } from './endpoint.ts';
import { EndpointWindow } from './endpoint-window.ts';
import type { ClaimedEvent } from './outbox.ts';
import type { AttemptResult } from './run-attempt.ts';

/** Response excerpts kept in memory (the most recent attempts of this node; older ones answer without one). */
const MAX_EXCERPTS = 10_000;

/**
 * What the dispatcher of this node observed of its attempts, for the console's REST commands: a rolling window per
 * app and endpoint (`endpoint_stats`), the response excerpt of recent attempts (`get_event`), and an `attempt` core
 * event per attempt (the live stream). Only attempts this node ran are seen.
 */
export class AttemptObserver {
  private readonly windows = new Map<string, EndpointWindow>();
  private readonly excerpts = new Map<string, string>();
  private readonly events: CoreEvents;

  constructor(events: CoreEvents) {
    this.events = events;
  }

  /** Records one attempt as it ended. */
  readonly observe = (app: AppRuntime, ep: Endpoint, event: ClaimedEvent, r: AttemptResult): void => {
    const { result, outcome } = r;
    if (outcome.kind !== 'aborted') this.windowOf(app.sdkAppId, ep.origin, true)!.record(result.ok, result.latencyMs);
    if (result.excerpt !== undefined) {
      if (this.excerpts.size >= MAX_EXCERPTS) this.excerpts.delete(this.excerpts.keys().next().value!);
      this.excerpts.set(`${event.eventId} ${event.attempt}`, result.excerpt);
    }
    if (this.events.listenerCount('attempt') === 0) return;
    this.events.emit('attempt', {
      appId: app.sdkAppId,
      eventId: event.eventId,
      command: event.command,
      account: event.orderingKey,
      attempt: event.attempt,
      outcome: outcome.kind,
      status: result.status,
      latencyMs: result.latencyMs,
    });
  };

  /** The window of an app at an endpoint origin (undefined if it had no attempt, unless `create`). */
  windowOf(appId: number, origin: string, create = false): EndpointWindow | undefined {
    const key = `${appId} ${origin}`;
    let w = this.windows.get(key);
    if (!w && create) {
      w = new EndpointWindow();
      this.windows.set(key, w);
    }
    return w;
  }

  /** The origins an app made attempts to (since this node started). */
  originsOf(appId: number): string[] {
    const prefix = `${appId} `;
    return [...this.windows.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }

  /** The response excerpt of an attempt, if this node ran it recently. */
  excerptOf(eventId: string, attempt: number): string | undefined {
    return this.excerpts.get(`${eventId} ${attempt}`);
  }
}
