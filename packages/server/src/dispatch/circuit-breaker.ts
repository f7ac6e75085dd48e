/** Breaker settings (from `dispatcher` in the configuration). */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** First wait before a probe. */
  openMs: number;
  /** Longest wait before a probe (the wait doubles after each failed probe). */
  maxOpenMs: number;
}

/** `closed`: attempts flow; `open`: none until `retryAt`; `half-open`: one probe attempt in flight. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker for one endpoint. After `failureThreshold` consecutive failed attempts it opens: no attempt
 * starts (events wait in the store and consume no retries) until `openMs` passed; then one probe attempt may go.
 * A success closes it; a failure reopens it for twice as long, up to `maxOpenMs`. Any success closes it, including
 * one that was in flight when it opened. Pure state: the dispatcher asks `allowance()` and reports results.
 */
export class CircuitBreaker {
  private failures = 0;
  private openFor: number;
  private openUntil = 0;
  private probing = false;
  private current: BreakerState = 'closed';
  private readonly options: BreakerOptions;
  private readonly now: () => number;

  constructor(options: BreakerOptions, now: () => number = Date.now) {
    this.options = options;
    this.now = now;
    this.openFor = options.openMs;
  }

  /** The state, moving from open to half-open once the wait is over. */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() >= this.openUntil) this.current = 'half-open';
    return this.current;
  }

  /** When an open breaker lets a probe go (Unix ms); undefined unless open. */
  get retryAt(): number | undefined {
    return this.state === 'open' ? this.openUntil : undefined;
  }

  /** Failed attempts since the last success. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** How many attempts may start now: unlimited when closed, one probe when half-open, none when open. */
  allowance(): number {
    const s = this.state;
    if (s === 'closed') return Number.POSITIVE_INFINITY;
    return s === 'half-open' && !this.probing ? 1 : 0;
  }

  /** An attempt starts (marks the probe when half-open). */
  onStart(): void {
    if (this.state === 'half-open') this.probing = true;
  }

  /** An attempt ended without a result (not sent, or aborted): a probe may go again. */
  onAbandon(): void {
    this.probing = false;
  }

  /** An attempt succeeded; returns true when this closed an open or half-open breaker. */
  onSuccess(): boolean {
    const recovered = this.current !== 'closed';
    this.current = 'closed';
    this.failures = 0;
    this.probing = false;
    this.openFor = this.options.openMs;
    return recovered;
  }

  /** An attempt failed; returns true when this opened a closed breaker (a failed probe reopens it quietly). */
  onFailure(): boolean {
    this.failures++;
    const s = this.state;
    if (s === 'half-open' && this.probing) {
      this.probing = false;
      this.openFor = Math.min(this.openFor * 2, this.options.maxOpenMs);
      this.open();
      return false;
    }
    if (s === 'closed' && this.failures >= this.options.failureThreshold) {
      this.open();
      return true;
    }
    return false;
  }

  private open(): void {
    this.current = 'open';
    this.openUntil = this.now() + this.openFor;
  }
}
