import type { AppRegistry, AppRuntime } from '../core/app-registry.ts';
import type { WriteAdmission } from '../core/write-admission.ts';
import type { Endpoint } from './endpoint.ts';

/** Tuning of {@link DeliveryAdmission} (from `dispatcher` in the configuration). */
export interface AdmissionOptions {
  /** Undelivered events of one app above which its callback-sending writes are paced; 0 turns pacing off. */
  admissionBacklog: number;
  /** Longest a write waits for admission; then it goes ahead anyway. */
  admissionMaxWaitMs: number;
}

/** What the admission reads: the apps and the state of their endpoints. */
export interface AdmissionHost {
  apps: AppRegistry;
  options: AdmissionOptions;
  endpointFor(url: string): Endpoint;
}

interface Waiter {
  resolve: () => void;
  deadline: number;
}

interface AppBacklog {
  /** Events written (or admitted to be written) and not yet delivered or dead: an estimate, resynced from the store. */
  backlog: number;
  /** Writes waiting for admission, oldest first. */
  waiters: Waiter[];
}

/**
 * Fair share for delivery: paces the writes that send callbacks by the deliveries of those callbacks, so a REST
 * client at full speed cannot build a backlog that makes callbacks late. Per app, it keeps an estimate of the events
 * written and not yet delivered (counted at admission, uncounted when an attempt delivers an event or it becomes
 * dead, set to the store's count by {@link resync}). While that backlog is at `admissionBacklog` or more and the
 * app's endpoint is healthy (circuit breaker closed, last attempt succeeded), a new write waits: each delivered
 * event admits one waiting write (first come, first served), so writes go at the pace delivery keeps and the backlog
 * stays at the mark. A write never waits longer than `admissionMaxWaitMs`. A failing or open endpoint is not paced:
 * its events wait safely in the store and the app's writes go at full speed.
 */
export class DeliveryAdmission {
  private readonly host: AdmissionHost;
  private readonly byApp = new Map<number, AppBacklog>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Writes that waited for admission, and the total time they waited (ms), since start. */
  readonly waited = { writes: 0, ms: 0 };

  constructor(host: AdmissionHost) {
    this.host = host;
  }

  /** The {@link WriteAdmission} hook for the core services. */
  readonly admit: WriteAdmission = (app, command) => {
    if (this.stopped || this.host.options.admissionBacklog <= 0) return undefined;
    const config = app.callback;
    if (!config || !(config.commands as readonly string[]).includes(command)) return undefined;
    const s = this.of(app.sdkAppId);
    if ((s.backlog < this.host.options.admissionBacklog && s.waiters.length === 0) || !this.healthy(app)) {
      s.backlog++;
      return undefined;
    }
    const started = Date.now();
    return new Promise<void>((resolve) => {
      s.waiters.push({
        resolve: () => {
          this.waited.writes++;
          this.waited.ms += Date.now() - started;
          s.backlog++;
          resolve();
        },
        deadline: started + this.host.options.admissionMaxWaitMs,
      });
      if (!this.timer) this.armTimer(started + this.host.options.admissionMaxWaitMs);
    });
  };

  /** An attempt of an event of `appId` ended with `outcome`: a delivered or dead event leaves the backlog. */
  onOutcome(appId: number, outcome: 'delivered' | 'retry' | 'dead' | 'aborted'): void {
    const s = this.byApp.get(appId);
    if (!s) return;
    if (outcome === 'delivered' || outcome === 'dead') s.backlog = Math.max(0, s.backlog - 1);
    const app = this.host.apps.get(appId);
    if (!app || !this.healthy(app)) this.releaseAll(s);
    else this.releaseRoom(s);
  }

  /** Sets each app's backlog to the store's count of its pending events (corrects the estimate's drift). */
  resync(pendingByApp: Map<number, number>): void {
    for (const [appId, s] of this.byApp) {
      s.backlog = pendingByApp.get(appId) ?? 0;
      this.releaseRoom(s);
    }
    for (const [appId, n] of pendingByApp) if (!this.byApp.has(appId)) this.of(appId).backlog = n;
  }

  /** Backlog estimate of one app (for metrics and tests). */
  backlogOf(appId: number): number {
    return this.byApp.get(appId)?.backlog ?? 0;
  }

  /** Writes waiting for admission now, over all apps. */
  get waiting(): number {
    let n = 0;
    for (const s of this.byApp.values()) n += s.waiters.length;
    return n;
  }

  /** Whether any app has a backlog to watch (a resync is worth its scan). */
  get busy(): boolean {
    for (const s of this.byApp.values()) if (s.backlog > 0 || s.waiters.length > 0) return true;
    return false;
  }

  /** Lets every waiting write go and admits everything from now on. */
  stop(): void {
    this.stopped = true;
    for (const s of this.byApp.values()) this.releaseAll(s);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private of(appId: number): AppBacklog {
    let s = this.byApp.get(appId);
    if (!s) {
      s = { backlog: 0, waiters: [] };
      this.byApp.set(appId, s);
    }
    return s;
  }

  private healthy(app: AppRuntime): boolean {
    if (!app.callback) return false;
    const breaker = this.host.endpointFor(app.callback.url).breaker;
    return breaker.state === 'closed' && breaker.consecutiveFailures === 0;
  }

  private releaseRoom(s: AppBacklog): void {
    while (s.waiters.length > 0 && s.backlog < this.host.options.admissionBacklog) s.waiters.shift()!.resolve();
  }

  private releaseAll(s: AppBacklog): void {
    for (const w of s.waiters.splice(0)) w.resolve();
  }

  private armTimer(at: number): void {
    this.timer = setTimeout(() => this.expire(), Math.max(1, at - Date.now()));
    this.timer.unref();
  }

  /** Lets the writes that waited `admissionMaxWaitMs` go, and re-arms for the next deadline. */
  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const s of this.byApp.values()) {
      while (s.waiters.length > 0 && s.waiters[0]!.deadline <= now) s.waiters.shift()!.resolve();
      if (s.waiters.length > 0) next = Math.min(next, s.waiters[0]!.deadline);
    }
    if (Number.isFinite(next)) this.armTimer(next);
  }
}
