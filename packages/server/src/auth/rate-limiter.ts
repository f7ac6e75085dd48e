/**
 * Token buckets per key (app + command): `limit` calls per second with bursts up to `limit`. `limit` 0 = unlimited.
 *
 * The limit is per deployment, as Tencent's is per app: each node enforces its share, the limit divided by the number
 * of nodes up (`nodes()`, rounded up), so a load balancer that spreads calls evenly lets `limit` calls per second
 * through in all. One node alone enforces the whole limit.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly nodes: () => number;

  /** `nodes`: how many nodes share the limit right now (default: this one). */
  constructor(nodes: () => number = () => 1) {
    this.nodes = nodes;
  }

  /** Takes one token; false when the caller is over this node's share of the limit. */
  take(key: string, limit: number, nowMs = performance.now()): boolean {
    if (limit <= 0) return true;
    const share = Math.ceil(limit / Math.max(1, this.nodes()));
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: share, at: nowMs };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(share, b.tokens + ((nowMs - b.at) / 1000) * share);
      b.at = nowMs;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
