import type { Dispatcher } from 'undici';
import type { DispatcherConfig } from '../config/config-schema.ts';
import type { AppRegistry, AppRuntime } from '../core/app-registry.ts';
import type { DispatchLog } from './dispatch-log.ts';
import type { DispatchMetrics } from './dispatch-metrics.ts';
import type { Endpoint } from './endpoint.ts';
import { InFlightAttempts } from './in-flight-attempts.ts';
import type { ClaimedEvent, SettleOutcome } from './outbox.ts';
import type { PendingWrites } from './pending-writes.ts';
import { runAttempt, type AttemptContext, type AttemptResult } from './run-attempt.ts';

/** What the attempts of a dispatcher run on. */
export interface AttemptRunnerDeps {
  agent: Dispatcher;
  options: DispatcherConfig;
  apps: AppRegistry;
  metrics: DispatchMetrics;
  log: DispatchLog;
  /** Where results and releases wait for the next outbox batch. */
  pending: PendingWrites;
  endpointFor(url: string): Endpoint;
  /** Asks the dispatcher for a pump (an attempt ended: its result is to be written, its slot is free). */
  wake(): void;
  /** An attempt ended with this outcome (after its endpoint's breaker saw the result). */
  onOutcome(appId: number, outcome: SettleOutcome['kind']): void;
  /** Every attempt that ran, as it ended (endpoint statistics, response excerpts, the console's live stream). */
  onAttempt?: ((app: AppRuntime, ep: Endpoint, event: ClaimedEvent, r: AttemptResult) => void) | undefined;
}

/**
 * The attempts of claimed events: each takes a slot of its endpoint, runs with the app's current callback config,
 * and on its end queues its result (or its release, if it could not run) for the next outbox batch, frees its slot,
 * feeds the endpoint's circuit breaker and wakes the dispatcher. `drain` is the graceful stop.
 */
export class AttemptRunner {
  private readonly deps: AttemptRunnerDeps;
  private readonly inFlight = new InFlightAttempts();
  private readonly context: AttemptContext;

  constructor(deps: AttemptRunnerDeps) {
    this.deps = deps;
    this.context = {
      agent: deps.agent,
      pipelined: deps.options.pipelining > 1,
      retryJitter: deps.options.retryJitter,
      onSend: (event, send) => this.inFlight.sent(event.rowId, send),
    };
  }

  /** Starts the attempt of a claimed event (releases it when the app has no callback URL any more). */
  begin(app: AppRuntime, ep: Endpoint, event: ClaimedEvent): void {
    const config = app.callback;
    if (!config) {
      this.deps.pending.release(event);
      this.deps.wake();
      return;
    }
    ep.begin();
    this.inFlight.started();
    void runAttempt(this.context, config, app.sdkAppId, event).then(
      (r) => this.ended(app, ep, event, r),
      (error: unknown) => this.ended(app, ep, event, undefined, error),
    );
  }

  /** Lets requests on the wire finish for up to `graceMs`, aborts the rest, and waits for every attempt to end. */
  drain(graceMs: number): Promise<void> {
    return this.inFlight.drain(graceMs, 'aborted: server stopping');
  }

  /** An attempt ended: queue its settle (or its release, if it failed to run at all) and free its slot. */
  private ended(app: AppRuntime, ep: Endpoint, event: ClaimedEvent, r?: AttemptResult, error?: unknown): void {
    const { pending, log } = this.deps;
    try {
      if (!r) {
        ep.abandon();
        log.error({ err: error, eventId: event.eventId }, 'callback attempt failed unexpectedly');
        pending.release(event);
        return;
      }
      const { result, record, outcome } = r;
      this.deps.metrics.attempt(app.sdkAppId, event.command, outcome.kind, result.latencyMs / 1000);
      pending.settle({ event, outcome, record });
      if (result.aborted) ep.abandon();
      else this.afterResult(ep, result.ok);
      this.deps.onOutcome(event.appId, outcome.kind);
      this.deps.onAttempt?.(app, ep, event, r);
    } catch (e) {
      log.error({ err: e, eventId: event.eventId }, 'callback attempt could not be recorded');
    } finally {
      this.inFlight.ended(event.rowId);
      this.deps.wake();
    }
  }

  private afterResult(ep: Endpoint, ok: boolean): void {
    const { opened, recovered } = ep.finish(ok);
    const { log } = this.deps;
    if (opened) log.warn({ endpoint: ep.origin }, 'callback endpoint keeps failing: circuit breaker open');
    if (recovered) {
      log.info({ endpoint: ep.origin }, 'callback endpoint recovered: retrying its waiting events now');
      for (const a of this.deps.apps.all()) {
        if (a.callback && this.deps.endpointFor(a.callback.url) === ep) this.deps.pending.expediteApp(a.sdkAppId);
      }
    }
  }
}
