import type { Metric, OpenMetricsContentType, PrometheusContentType, Registry } from 'prom-client';

/** The observations of one label set. */
export interface HistogramChild {
  observe(value: number): void;
}

type Labels = Record<string, string | number>;

class Series implements HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  private readonly bounds: readonly number[];
  readonly labels: Labels;

  constructor(bounds: readonly number[], labels: Labels) {
    this.bounds = bounds;
    this.labels = labels;
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    if (i < b.length) this.counts[i]! += 1;
    this.sum += value;
    this.count++;
  }
}

/**
 * A Prometheus histogram for per-request hot paths: the same `_bucket` / `_sum` / `_count` series as prom-client's
 * `Histogram`, registered on a prom-client `Registry`. prom-client's `observe()` validates and hashes the label set
 * on every call, even on a label-bound child; here a child is a bucket array found once per label set, and the
 * exposition is built only when the registry is scraped.
 */
export class HotHistogram<L extends string> {
  name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly labelNames: readonly L[];
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, Series>();

  constructor(config: {
    name: string;
    help: string;
    labelNames: readonly L[];
    buckets: number[];
    registers: (Registry<PrometheusContentType> | Registry<OpenMetricsContentType>)[];
  }) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    // The registry needs only name, help, type, get() and reset(); its type names prom-client's four classes.
    for (const r of config.registers) r.registerMetric(this as unknown as Metric);
  }

  /** The child of a label set (values in `labelNames` order); keep it, or call this once per label set. */
  child(...values: string[]): HistogramChild {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
      s = new Series(this.bounds, labels);
      this.series.set(key, s);
    }
    return s;
  }

  /**
   * The series as prom-client's `Histogram.get()` returns them, in its label order (`le` first): per label set the
   * cumulative buckets, `+Inf`, the sum and the count.
   */
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: unknown[] }> {
    const values: { labels: Labels; value: number; metricName: string }[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.counts[i]!;
        values.push({ labels: { le, ...s.labels }, value: acc, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: bucket });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** Forgets every observation (prom-client's `Registry.resetMetrics`). */
  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
