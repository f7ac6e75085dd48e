import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The server's Prometheus registry and REST metrics. Other modules register their metrics on `registry`. */
export class Metrics {
  readonly registry = new Registry();
  readonly restRequests = new Counter({
    name: 'readwire_rest_requests_total',
    help: 'REST API requests by command and Tencent ErrorCode',
    labelNames: ['command', 'error_code'] as const,
    registers: [this.registry],
  });
  readonly restDuration = new Histogram({
    name: 'readwire_rest_request_duration_seconds',
    help: 'REST API request latency by command',
    labelNames: ['command'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Label-bound children, so the hot path does not hash label objects on every request. */
  private readonly requestCounters = new Map<string, { inc(): void }>();
  private readonly durationHistograms = new Map<string, { observe(seconds: number): void }>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one REST request: its command label, Tencent ErrorCode and latency in seconds. */
  recordRest(command: string, errorCode: number, seconds: number): void {
    const key = `${command} ${errorCode}`;
    let counter = this.requestCounters.get(key);
    if (!counter) {
      counter = this.restRequests.labels(command, String(errorCode));
      this.requestCounters.set(key, counter);
    }
    counter.inc();
    let histogram = this.durationHistograms.get(command);
    if (!histogram) {
      histogram = this.restDuration.labels(command);
      this.durationHistograms.set(command, histogram);
    }
    histogram.observe(seconds);
  }
}
