import { CircuitBreaker, type BreakerOptions } from './circuit-breaker.ts';

/**
 * One endpoint (the origin of a callback URL, shared by every app that uses it): its attempts in flight against
 * `concurrency`, and its circuit breaker. Claims never take more than `available()`, so one endpoint never exceeds
 * its limit and a slow or dead endpoint only ever ties up its own slots.
 */
export class Endpoint {
  readonly origin: string;
  readonly breaker: CircuitBreaker;
  private readonly concurrency: number;
  private inFlight = 0;

  constructor(origin: string, concurrency: number, breaker: BreakerOptions, now?: () => number) {
    this.origin = origin;
    this.concurrency = concurrency;
    this.breaker = new CircuitBreaker(breaker, now);
  }

  /** Attempts in flight. */
  get active(): number {
    return this.inFlight;
  }

  /** How many more attempts may start now (concurrency and breaker). */
  available(): number {
    return Math.max(0, Math.min(this.concurrency - this.inFlight, this.breaker.allowance()));
  }

  /** An attempt starts (takes a slot; marks the breaker's probe when half-open). */
  begin(): void {
    this.inFlight++;
    this.breaker.onStart();
  }

  /** An attempt ended (its slot is free again); reports the result to the breaker. */
  finish(ok: boolean): { opened: boolean; recovered: boolean } {
    this.inFlight--;
    if (ok) return { opened: false, recovered: this.breaker.onSuccess() };
    return { opened: this.breaker.onFailure(), recovered: false };
  }

  /** An attempt ended without being sent (released). */
  abandon(): void {
    this.inFlight--;
    this.breaker.onAbandon();
  }
}
