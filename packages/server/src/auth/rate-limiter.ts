/**
 * Token buckets per key (app + command): `limit` calls per second with bursts up to `limit`. `limit` 0 = unlimited.
 * Per process: with several nodes each enforces its own share.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one token; false when the caller is over the limit. */
  take(key: string, limit: number, nowMs = performance.now()): boolean {
    if (limit <= 0) return true;
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: limit, at: nowMs };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(limit, b.tokens + ((nowMs - b.at) / 1000) * limit);
      b.at = nowMs;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
