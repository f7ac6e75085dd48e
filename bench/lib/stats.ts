/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Exact percentiles (nearest rank) of the given latencies; sorts them in place. */
export function summarize(latencies: Float64Array): LatencySummary {
  if (latencies.length === 0) return { p50Ms: NaN, p90Ms: NaN, p99Ms: NaN, maxMs: NaN, meanMs: NaN };
  latencies.sort();
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  let sum = 0;
  for (const v of latencies) sum += v;
  return {
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1]!,
    meanMs: sum / latencies.length,
  };
}

/** Median of a few numbers (for repeated runs). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
