import { Counter, type OpenMetricsContentType, type PrometheusContentType, type Registry } from 'prom-client';

/** A counter of one label set, bound once: `inc()` is a field increment. */
export interface CounterChild {
  inc(): void;
}

/**
 * A Prometheus counter for per-request hot paths. prom-client's `inc()` validates and hashes the label set on every
 * call, even on a label-bound child; here a child only counts in a plain field, and the counts are added to the
 * prom-client `Counter` (which writes the exposition) when the registry is scraped.
 */
export class HotCounter<L extends string> {
  private readonly counter: Counter<L>;
  private readonly children = new Map<string, { labels: Partial<Record<L, string>>; pending: number }>();
  private readonly labelNames: readonly L[];

  constructor(config: {
    name: string;
    help: string;
    labelNames: readonly L[];
    registers: (Registry<PrometheusContentType> | Registry<OpenMetricsContentType>)[];
  }) {
    this.labelNames = config.labelNames;
    const children = this.children;
    this.counter = new Counter<L>({
      ...config,
      collect() {
        for (const c of children.values()) {
          if (c.pending === 0) continue;
          this.inc(c.labels, c.pending);
          c.pending = 0;
        }
      },
    });
  }

  /** The child of `labels` (values in `labelNames` order); keep it, or call this once per label set. */
  child(...values: string[]): CounterChild {
    const key = values.join('\u0000');
    let c = this.children.get(key);
    if (!c) {
      const labels: Partial<Record<L, string>> = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
      c = { labels, pending: 0 };
      this.children.set(key, c);
      this.counter.inc(labels, 0);
    }
    const entry = c;
    return {
      inc() {
        entry.pending++;
      },
    };
  }
}
