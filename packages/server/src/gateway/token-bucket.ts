/**
 * A per-connection request budget: `rate` per second, bursts up to `2 × rate`. Two numbers per connection, refilled
 * lazily when a request arrives (no timers).
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private readonly rate: number;

  constructor(rate: number, nowMs = performance.now()) {
    this.rate = rate;
    this.tokens = rate * 2;
    this.at = nowMs;
  }

  /** Takes one token; false when the budget is spent. */
  take(nowMs = performance.now()): boolean {
    this.tokens = Math.min(this.rate * 2, this.tokens + ((nowMs - this.at) / 1000) * this.rate);
    this.at = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
