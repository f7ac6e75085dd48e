import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Dispatcher } from 'undici';
import type { DispatcherConfig } from '../config/config-schema.ts';
import type { AppRegistry, AppRuntime } from '../core/app-registry.ts';
import type { InFlightSend } from './callback-sender.ts';
import type { DispatchLog } from './dispatch-log.ts';
import type { DispatchMetrics } from './dispatch-metrics.ts';
import { Endpoint } from './endpoint.ts';
import type { AttemptRecord, ClaimedEvent, ClaimRequest, ClaimResult, Outbox, SettleOutcome } from './outbox.ts';
import { runAttempt } from './run-attempt.ts';

/** A lease outlives the request timeout by at least this much (a lease shorter than the timeout duplicates). */
export const LEASE_MARGIN_MS = 10_000;
/** Shortest timer the dispatcher arms (a due event that could not be claimed must not spin the loop). */
const MIN_TIMER_MS = 5;

interface Planned {
  app: AppRuntime;
  ep: Endpoint;
  request: ClaimRequest;
}

/** What the dispatcher runs on. */
export interface DispatcherDeps {
  outbox: Outbox;
  apps: AppRegistry;
  options: DispatcherConfig;
  agent: Dispatcher;
  metrics: DispatchMetrics;
  log: DispatchLog;
}

/**
 * The delivery loop. It claims due events per app — as many as each endpoint has free slots — sends each in its
 * own attempt, and settles the result through the outbox. It wakes when a commit added events, when an attempt
 * ends (a slot is free; the key's next event may be unparked), when a retry or a breaker probe is due, and on a
 * poll interval as a safety net. Only one claim is outstanding at a time; claims and settles ride the store's group
 * commit. All backlog stays in the store: memory holds at most the in-flight attempts.
 */
export class CallbackDispatcher {
  /** Lease owner: unique per process start. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly deps: DispatcherDeps;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly sends = new Map<number, InFlightSend>();
  private readonly running = new Set<Promise<unknown>>();
  private claiming: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private seenMaxId = 0;
  private rotation = 0;

  constructor(deps: DispatcherDeps) {
    this.deps = deps;
  }

  /** Starts delivering: repairs parked heads left by an interrupted run, then claims. */
  start(): void {
    this.seenMaxId = this.deps.outbox.maxRowId();
    this.track(this.deps.outbox.repairParked().then(() => this.wake()));
  }

  /** Call after each store commit: wakes the loop when new events were committed. */
  onCommit(): void {
    if (this.stopped) return;
    const max = this.deps.outbox.maxRowId();
    if (max > this.seenMaxId) {
      this.seenMaxId = max;
      this.wake();
    }
  }

  /** The endpoint state of a callback URL's origin (created on first use). */
  endpointFor(url: string): Endpoint {
    const origin = new URL(url).origin;
    let ep = this.endpoints.get(origin);
    if (!ep) {
      const o = this.deps.options;
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
  allEndpoints(): Endpoint[] {
    return [...this.endpoints.values()];
  }

  /** Claims whatever the endpoints have room for now (coalesced: one claim outstanding at a time). */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.again = false;
    const plan = this.plan();
    if (plan.length === 0) {
      this.arm(Date.now() + this.deps.options.pollIntervalMs);
      return;
    }
    this.claiming = this.deps.outbox
      .claim(
        this.owner,
        plan.map((p) => p.request),
      )
      .then(
        (results) => this.onClaimed(plan, results),
        (error: unknown) => {
          for (const p of plan) p.ep.unreserve(p.request.limit);
          if (!this.stopped) this.deps.log.error({ err: error }, 'callback claim failed');
          this.arm(Date.now() + this.deps.options.pollIntervalMs);
        },
      );
    void this.claiming.finally(() => {
      this.claiming = undefined;
      if (this.again) this.wake();
    });
  }

  private plan(): Planned[] {
    const apps = this.deps.apps.all();
    const out: Planned[] = [];
    this.rotation = (this.rotation + 1) % Math.max(1, apps.length);
    for (let i = 0; i < apps.length; i++) {
      const app = apps[(i + this.rotation) % apps.length]!;
      const config = app.callback;
      if (!config) continue;
      const ep = this.endpointFor(config.url);
      const limit = Math.min(ep.available(), this.deps.options.claimBatch);
      if (limit <= 0) continue;
      ep.reserve(limit);
      const leaseMs = Math.max(this.deps.options.leaseMs, config.timeoutMs + LEASE_MARGIN_MS);
      out.push({ app, ep, request: { appId: app.sdkAppId, limit, leaseMs } });
    }
    return out;
  }

  private onClaimed(plan: Planned[], results: ClaimResult[]): void {
    const now = Date.now();
    let next = now + this.deps.options.pollIntervalMs;
    results.forEach((r, i) => {
      const p = plan[i]!;
      p.ep.unreserve(p.request.limit);
      for (const event of r.events) this.begin(p.app, p.ep, event);
      if (r.more) this.again = true;
      if (r.nextDueAt !== undefined) next = Math.min(next, r.nextDueAt);
    });
    for (const ep of this.endpoints.values()) next = Math.min(next, ep.breaker.retryAt ?? next);
    this.arm(next);
  }

  private begin(app: AppRuntime, ep: Endpoint, event: ClaimedEvent): void {
    ep.begin();
    const config = app.callback;
    if (this.stopped || !config) {
      ep.abandon();
      this.track(this.deps.outbox.release(event));
      return;
    }
    const o = this.deps.options;
    const ctx = {
      agent: this.deps.agent,
      pipelined: o.pipelining > 1,
      retryJitter: o.retryJitter,
      onSend: (send: InFlightSend) => this.sends.set(event.rowId, send),
    };
    this.track(
      runAttempt(ctx, config, app.sdkAppId, event)
        .then(({ result, record, outcome }) => {
          this.sends.delete(event.rowId);
          const app_ = String(app.sdkAppId);
          this.deps.metrics.deliveries.inc({ app: app_, command: event.command, outcome: outcome.kind });
          this.deps.metrics.attemptDuration.observe({ app: app_ }, result.latencyMs / 1000);
          this.track(this.settle(event, outcome, record));
          if (result.aborted) ep.abandon();
          else this.afterResult(ep, result.ok);
          this.wake();
        })
        .catch((error: unknown) => {
          this.sends.delete(event.rowId);
          ep.abandon();
          this.deps.log.error({ err: error, eventId: event.eventId }, 'callback attempt failed unexpectedly');
          this.track(this.deps.outbox.release(event));
        }),
    );
  }

  private async settle(event: ClaimedEvent, outcome: SettleOutcome, record: AttemptRecord): Promise<void> {
    const ok = await this.deps.outbox.settle(event, outcome, record);
    if (!ok) this.deps.log.warn({ eventId: event.eventId }, 'callback lease lost before the attempt was settled');
  }

  private afterResult(ep: Endpoint, ok: boolean): void {
    const { opened, recovered } = ep.finish(ok);
    if (opened) this.deps.log.warn({ endpoint: ep.origin }, 'callback endpoint keeps failing: circuit breaker open');
    if (recovered) {
      this.deps.log.info({ endpoint: ep.origin }, 'callback endpoint recovered: retrying its waiting events now');
      const apps = this.deps.apps.all().filter((a) => a.callback && new URL(a.callback.url).origin === ep.origin);
      this.track(this.deps.outbox.expediteRetries(apps.map((a) => a.sdkAppId)).then(() => this.wake()));
    }
  }

  private arm(at: number): void {
    if (this.stopped) return;
    const when = Math.max(at, Date.now() + MIN_TIMER_MS);
    if (this.timer && this.timerAt <= when) return;
    clearTimeout(this.timer);
    this.timerAt = when;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, when - Date.now());
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((error: unknown) => {
      if (!this.stopped) this.deps.log.error({ err: error }, 'callback dispatcher write failed');
    });
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /**
   * Stops claiming, lets in-flight attempts finish for up to `graceMs`, aborts the rest (their leases are
   * released and the aborted attempt does not count against the schedule), and waits for every write.
   */
  async stop(graceMs = this.deps.options.stopGraceMs): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming;
    const deadline = Date.now() + graceMs;
    while (this.sends.size > 0 && Date.now() < deadline) {
      await Promise.race([sleep(deadline - Date.now()), ...[...this.sends.values()].map((s) => s.result)]);
    }
    for (const s of this.sends.values()) s.abort('aborted: server stopping');
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
