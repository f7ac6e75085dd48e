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
/** Callback URLs whose origin is remembered (there is one per app, plus old ones after `set_config`). */
const MAX_CACHED_URLS = 1024;
/** Shortest timer the dispatcher arms (a due event that could not be claimed must not spin the loop). */
const MIN_TIMER_MS = 5;

interface Planned {
  app: AppRuntime;
  ep: Endpoint;
  request: ClaimRequest;
}

interface PendingSettle {
  event: ClaimedEvent;
  outcome: SettleOutcome;
  record: AttemptRecord;
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
 * The delivery loop. Each *pump* runs one outbox batch (one transaction): it settles the attempts that ended since
 * the last pump, then claims due events per app — as many as each endpoint has free slots — and starts an attempt
 * for each. Pumps are coalesced to one per event-loop turn; they run when a commit added events (right after that
 * commit, for the lowest latency), when attempts end, when a retry or a breaker probe is due, and on a poll interval
 * as a safety net. All backlog stays in the store: memory holds the in-flight attempts and nothing else.
 */
export class CallbackDispatcher {
  /** Lease owner: unique per process start. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly deps: DispatcherDeps;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly origins = new Map<string, string>();
  private readonly sends = new Map<number, InFlightSend>();
  private readonly running = new Set<Promise<unknown>>();
  private settles: PendingSettle[] = [];
  private releases: ClaimedEvent[] = [];
  private expedite = new Set<number>();
  private scheduled = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private seenMaxId = 0;
  private rotation = 0;

  constructor(deps: DispatcherDeps) {
    this.deps = deps;
  }

  /** Starts delivering: recovers what a previous process left leased or parked, then claims. */
  start(): void {
    this.seenMaxId = this.deps.outbox.maxRowId();
    this.track(
      this.deps.outbox.recover().then((r) => {
        if (r.leases > 0) this.deps.log.info(r, 'callback events in flight at the last stop are due again');
        this.wake();
      }),
    );
  }

  /** Call after each store commit: claims at once when the commit added events. */
  onCommit(): void {
    if (this.stopped) return;
    const max = this.deps.outbox.maxRowId();
    if (max > this.seenMaxId) {
      this.seenMaxId = max;
      this.pump();
    }
  }

  /** The endpoint state of a callback URL's origin (created on first use). */
  endpointFor(url: string): Endpoint {
    let origin = this.origins.get(url);
    if (origin === undefined) {
      if (this.origins.size >= MAX_CACHED_URLS) this.origins.clear();
      origin = new URL(url).origin;
      this.origins.set(url, origin);
    }
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

  /** Schedules a pump in this event-loop turn (coalesced). */
  wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  /** Settles what ended and claims what fits, in one outbox batch. */
  private pump(): void {
    this.scheduled = false;
    const plan = this.stopped ? [] : this.plan();
    const settles = this.settles;
    const releases = this.releases;
    const expedite = [...this.expedite];
    if (plan.length === 0 && settles.length === 0 && releases.length === 0 && expedite.length === 0) {
      this.arm(Date.now() + this.deps.options.pollIntervalMs);
      return;
    }
    this.settles = [];
    this.releases = [];
    this.expedite.clear();
    let results: ClaimResult[];
    try {
      results = this.deps.outbox.batch((w, now) => {
        for (const s of settles) {
          if (!w.settle(s.event, s.outcome, s.record, now)) this.leaseLost(s.event);
        }
        for (const e of releases) w.release(e, now);
        if (expedite.length > 0) w.expediteRetries(expedite, now);
        return plan.map((p) => w.claim(this.owner, p.request, now));
      }, this.deps.options.syncOutboxWrites);
    } catch (error) {
      // Keep the writes for the next pump; the claims simply did not happen.
      this.settles.unshift(...settles);
      this.releases.unshift(...releases);
      for (const a of expedite) this.expedite.add(a);
      if (!this.stopped) this.deps.log.error({ err: error }, 'callback outbox batch failed');
      this.arm(Date.now() + this.deps.options.pollIntervalMs);
      return;
    }
    this.started(plan, results);
  }

  private plan(): Planned[] {
    const apps = this.deps.apps.all();
    const out: Planned[] = [];
    this.rotation = (this.rotation + 1) % Math.max(1, apps.length);
    const room = new Map<Endpoint, number>();
    for (let i = 0; i < apps.length; i++) {
      const app = apps[(i + this.rotation) % apps.length]!;
      const config = app.callback;
      if (!config) continue;
      const ep = this.endpointFor(config.url);
      const available = room.get(ep) ?? ep.available();
      const limit = Math.min(available, this.deps.options.claimBatch);
      if (limit <= 0) continue;
      room.set(ep, available - limit);
      const leaseMs = Math.max(this.deps.options.leaseMs, config.timeoutMs + LEASE_MARGIN_MS);
      out.push({ app, ep, request: { appId: app.sdkAppId, limit, leaseMs } });
    }
    return out;
  }

  private started(plan: Planned[], results: ClaimResult[]): void {
    const now = Date.now();
    let next = now + this.deps.options.pollIntervalMs;
    results.forEach((r, i) => {
      const p = plan[i]!;
      for (const event of r.events) this.begin(p.app, p.ep, event);
      if (r.more) this.wake();
      if (r.nextDueAt !== undefined) next = Math.min(next, r.nextDueAt);
    });
    for (const ep of this.endpoints.values()) next = Math.min(next, ep.breaker.retryAt ?? next);
    this.arm(next);
  }

  private begin(app: AppRuntime, ep: Endpoint, event: ClaimedEvent): void {
    const config = app.callback;
    if (!config) {
      this.releases.push(event);
      this.wake();
      return;
    }
    ep.begin();
    const ctx = {
      agent: this.deps.agent,
      pipelined: this.deps.options.pipelining > 1,
      retryJitter: this.deps.options.retryJitter,
      onSend: (send: InFlightSend) => this.sends.set(event.rowId, send),
    };
    const attempt = runAttempt(ctx, config, app.sdkAppId, event).then(
      ({ result, record, outcome }) => {
        this.sends.delete(event.rowId);
        this.deps.metrics.attempt(String(app.sdkAppId), event.command, outcome.kind, result.latencyMs / 1000);
        this.settles.push({ event, outcome, record });
        if (result.aborted) ep.abandon();
        else this.afterResult(ep, result.ok);
        this.wake();
      },
      (error: unknown) => {
        this.sends.delete(event.rowId);
        ep.abandon();
        this.deps.log.error({ err: error, eventId: event.eventId }, 'callback attempt failed unexpectedly');
        this.releases.push(event);
        this.wake();
      },
    );
    this.track(attempt);
  }

  private afterResult(ep: Endpoint, ok: boolean): void {
    const { opened, recovered } = ep.finish(ok);
    if (opened) this.deps.log.warn({ endpoint: ep.origin }, 'callback endpoint keeps failing: circuit breaker open');
    if (recovered) {
      this.deps.log.info({ endpoint: ep.origin }, 'callback endpoint recovered: retrying its waiting events now');
      for (const a of this.deps.apps.all()) {
        if (a.callback && this.endpointFor(a.callback.url) === ep) this.expedite.add(a.sdkAppId);
      }
    }
  }

  private leaseLost(event: ClaimedEvent): void {
    this.deps.log.warn({ eventId: event.eventId }, 'callback lease lost before the attempt was settled');
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
      this.pump();
    }, when - Date.now());
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((error: unknown) => this.deps.log.error({ err: error }, 'callback dispatcher failed'));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /**
   * Stops claiming, lets in-flight attempts finish for up to `graceMs`, aborts the rest (their events are due again
   * at once and the aborted attempt does not count against the schedule), and writes every settle.
   */
  async stop(graceMs = this.deps.options.stopGraceMs): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const deadline = Date.now() + graceMs;
    while (this.sends.size > 0 && Date.now() < deadline) {
      await Promise.race([sleep(deadline - Date.now()), ...[...this.sends.values()].map((s) => s.result)]);
    }
    for (const s of this.sends.values()) s.abort('aborted: server stopping');
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.pump();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
