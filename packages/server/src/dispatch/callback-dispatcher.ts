import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Dispatcher } from 'undici';
import type { DispatcherConfig } from '../config/config-schema.ts';
import type { AppRegistry } from '../core/app-registry.ts';
import type { DispatchLog } from './dispatch-log.ts';
import type { DispatchMetrics } from './dispatch-metrics.ts';
import type { Endpoint } from './endpoint.ts';
import { AttemptRunner, type AttemptRunnerDeps } from './attempt-runner.ts';
import { DeliveryAdmission } from './delivery-admission.ts';
import { EndpointRegistry } from './endpoint-registry.ts';
import { InsertLeases } from './insert-leases.ts';
import type { ClaimResult, InsertClaims, Outbox, OutboxBatchResult, WriteSet } from './outbox.ts';
import { PendingWrites } from './pending-writes.ts';
import { planClaims, type ClaimPlan, type PlannedClaim } from './plan-claims.ts';
import { WakeTimer } from './wake-timer.ts';

/** What the dispatcher runs on. */
export interface DispatcherDeps {
  outbox: Outbox;
  apps: AppRegistry;
  options: DispatcherConfig;
  agent: Dispatcher;
  metrics: DispatchMetrics;
  log: DispatchLog;
  /** Every attempt that ran, as it ended. */
  onAttempt?: AttemptRunnerDeps['onAttempt'];
}

/**
 * The delivery loop. Each *pump* sends one outbox batch (`Outbox.runBatch`, one transaction, plain data): it settles
 * the attempts that ended since the last pump, then, when something may have made events claimable (`claimsWanted`),
 * claims due events per app — as many as each endpoint has free slots — and starts an attempt for each once the batch
 * answers. The store decides where the batch runs: under load it rides in the store's group commit with the REST
 * changes waiting for it, now or one turn later (one transaction, one fsync, and it claims the events they write);
 * otherwise in a transaction of its own that skips the fsync. One batch is in flight at a time; pumps are coalesced to
 * one per event-loop turn, and a pump asked for while a batch is in flight runs when it answers. Pumps run when a
 * commit added events no claim has seen, when attempts end, when a retry or a breaker probe is due, and on a poll
 * interval as a safety net. All backlog stays in the store: memory holds the in-flight attempts only. Most events
 * need no claim at all: the store's writes lease new head events to this dispatcher as they write them, while their
 * endpoint has room (`insertClaims`, see `insert-leases.ts`).
 */
export class CallbackDispatcher {
  /** Lease owner: unique per process start. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly deps: DispatcherDeps;
  private readonly endpoints: EndpointRegistry;
  private readonly running = new Set<Promise<unknown>>();
  private readonly pending = new PendingWrites();
  private readonly attempts: AttemptRunner;
  private scheduled = false;
  /** The batch in flight (at most one), until it answered and its claims started. */
  private riding: Promise<void> | undefined;
  /** A pump was asked for while a batch was in flight: run one when it answers. */
  private again = false;
  /** Highest event row id a claim has seen (events above it may be unclaimed). */
  private claimedUpTo = 0;
  private stopped = false;
  /**
   * Something may have made events claimable that no claim has taken: events written without a lease, a due retry or
   * probe (the timer), a settle that unparked a key's next event or ended an attempt other than delivered, a release,
   * a claim that filled its room or its scan budget. Batches of attempt results alone claim nothing, so they leave the
   * endpoint's room to the leases at insert of the REST writes they ride with.
   */
  private claimsWanted = true;
  private readonly timer = new WakeTimer(() => {
    this.claimsWanted = true;
    this.pump();
  });
  private readonly pumpSoon = () => this.pump();
  /** Highest event row id a commit has reported. */
  private seenMaxId = 0;
  private rotation = 0;
  /** Room per endpoint that the claims of the batch in flight may take (claim at insert leaves it to them). */
  private readonly promised = new Map<Endpoint, number>();
  /** Claim at insert: the store's writes lease new head events to this dispatcher when it has room. */
  readonly insertClaims: InsertClaims;
  /** Paces callback-sending writes by deliveries while an app's backlog is high (fair share for delivery). */
  readonly admission: DeliveryAdmission;

  constructor(deps: DispatcherDeps) {
    this.deps = deps;
    this.endpoints = new EndpointRegistry(deps.options);
    this.admission = new DeliveryAdmission({
      apps: deps.apps,
      options: deps.options,
      endpointFor: (url) => this.endpoints.of(url),
    });
    this.insertClaims = new InsertLeases({
      owner: this.owner,
      apps: deps.apps,
      options: deps.options,
      endpointFor: (url) => this.endpoints.of(url),
      promised: (ep) => this.promised.get(ep) ?? 0,
      stopping: () => this.stopped,
      start: (app, ep, event) => this.attempts.begin(app, ep, event),
      release: (event) => {
        this.pending.release(event);
        this.claimsWanted = true;
        this.wake();
      },
    });
    this.attempts = new AttemptRunner({
      ...deps,
      pending: this.pending,
      endpointFor: (url) => this.endpoints.of(url),
      wake: () => this.wake(),
      onOutcome: (appId, outcome) => this.admission.onOutcome(appId, outcome),
    });
  }

  /** Starts delivering: notes the highest event row id, recovers what a previous process left leased or parked. */
  async start(): Promise<void> {
    this.seenMaxId = Math.max(this.seenMaxId, await this.deps.outbox.maxRowId());
    this.track(
      this.deps.outbox.recover(this.owner).then((r) => {
        if (r.leases > 0) this.deps.log.info(r, 'callback events in flight at the last stop are due again');
        this.wake();
      }),
    );
  }

  /**
   * Call after each store commit with the highest event row id committed: wakes the loop when the commit added events
   * no claim has seen yet (while a batch is in flight, that is checked when it answers).
   */
  onCommit(maxEventRowId: number): void {
    if (this.stopped || maxEventRowId <= this.seenMaxId) return;
    this.seenMaxId = maxEventRowId;
    if (maxEventRowId <= this.claimedUpTo) return;
    this.claimsWanted = true;
    if (!this.riding) this.wake();
  }

  /**
   * Another node committed events that no dispatcher leased, or replayed some: claim in the next pump (while a batch
   * is in flight, right after it answers).
   */
  claimSoon(): void {
    if (this.stopped) return;
    this.claimsWanted = true;
    if (this.riding) this.again = true;
    else this.wake();
  }

  /**
   * Another node went away: end the leases of owners that are gone (their events are due at once instead of after
   * their lease) and unpark stray heads, as at start.
   */
  recoverLeases(): void {
    if (this.stopped) return;
    this.track(
      this.deps.outbox.recover(this.owner).then((r) => {
        if (r.leases === 0 && r.parked === 0) return;
        this.deps.log.info(r, 'callback events of a node that is gone are due again');
        this.claimSoon();
      }),
    );
  }

  /** The endpoint state of a callback URL's origin (created on first use). */
  endpointFor(url: string): Endpoint {
    return this.endpoints.of(url);
  }

  /** Every endpoint seen so far. */
  allEndpoints(): Endpoint[] {
    return this.endpoints.all();
  }

  /** Asks for a pump: one per event-loop turn (coalesced), after the batch in flight if there is one. */
  wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.pumpSoon);
  }

  /** Settles what ended and claims what fits, in one outbox batch; at most one batch is in flight. */
  private pump(): void {
    this.scheduled = false;
    if (this.riding) {
      this.again = true;
      return;
    }
    if (this.pending.wantsClaim) this.claimsWanted = true;
    let plan: PlannedClaim[] = [];
    if (!this.stopped && this.claimsWanted) {
      const planned = this.plan();
      plan = planned.claims;
      // Satisfied once every app with a callback URL got a claim (one whose endpoint is full waits for a slot: the
      // attempt that frees it wakes the loop, and the claim goes then).
      if (planned.complete) this.claimsWanted = false;
    }
    if (plan.length === 0 && this.pending.empty) {
      this.timer.at(Date.now() + this.deps.options.pollIntervalMs);
      return;
    }
    const writes = this.pending.take();
    const claims = plan.map((p) => p.request);
    for (const p of plan) this.promised.set(p.ep, (this.promised.get(p.ep) ?? 0) + p.request.limit);
    const batch = { owner: this.owner, writes, claims, durable: this.deps.options.syncOutboxWrites };
    this.riding = this.deps.outbox.runBatch(batch).then(
      (result) => this.answered(plan, writes, result),
      (error: unknown) => this.answered(plan, writes, undefined, error),
    );
  }

  /** The batch in flight answered: start its claims (or keep its writes), then run the pump asked for meanwhile. */
  private answered(plan: PlannedClaim[], writes: WriteSet, result?: OutboxBatchResult, error?: unknown): void {
    this.riding = undefined;
    this.promised.clear();
    try {
      if (result) {
        for (const eventId of result.lostEventIds) this.leaseLost(eventId);
        if (result.unparked > 0) {
          // The keys' next events are claimable now: claim them in the next pump.
          this.claimsWanted = true;
          this.again = true;
        }
        this.claimedUpTo = Math.max(this.claimedUpTo, result.maxRowId);
        this.started(plan, result.claims);
      } else {
        this.batchFailed(writes, error);
      }
    } finally {
      const unseen = result !== undefined && !this.stopped && this.seenMaxId > this.claimedUpTo;
      if (this.again || unseen) {
        this.again = false;
        this.wake();
      }
    }
  }

  private plan(): ClaimPlan {
    const apps = this.deps.apps.all();
    this.rotation = (this.rotation + 1) % Math.max(1, apps.length);
    return planClaims(apps, this.endpoints, this.deps.options, this.rotation);
  }

  /** Keeps the writes for the next pump (the claims simply did not happen) and tries again later. */
  private batchFailed(writes: WriteSet, error: unknown): void {
    this.pending.restore(writes);
    this.claimsWanted = true;
    if (!this.stopped) this.deps.log.error({ err: error }, 'callback outbox batch failed');
    this.timer.at(Date.now() + this.deps.options.pollIntervalMs);
  }

  private started(plan: PlannedClaim[], results: ClaimResult[]): void {
    const now = Date.now();
    let next = now + this.deps.options.pollIntervalMs;
    results.forEach((r, i) => {
      const p = plan[i]!;
      for (const event of r.events) this.attempts.begin(p.app, p.ep, event);
      // A claim that filled its room or its scan budget may have left due events behind: claim again (at once when
      // only the budget stopped it; else the attempt that frees a slot wakes the loop).
      if (r.more || r.events.length >= p.request.limit) this.claimsWanted = true;
      if (r.more) this.wake();
      if (r.nextDueAt !== undefined) next = Math.min(next, r.nextDueAt);
    });
    next = Math.min(next, this.endpoints.nextProbeAt() ?? next);
    this.timer.at(next);
  }

  private leaseLost(eventId: string): void {
    this.deps.log.warn({ eventId }, 'callback lease lost before the attempt was settled');
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
    this.timer.stop();
    this.admission.stop();
    await this.attempts.drain(graceMs);
    while (this.running.size > 0 || this.riding) await Promise.allSettled([...this.running, this.riding]);
    await this.lastBatch();
  }

  /** The final pump at stop: writes what is pending (no claims); resolves once it is written or failed. */
  private lastBatch(): Promise<void> | undefined {
    this.pump();
    return this.riding;
  }
}
