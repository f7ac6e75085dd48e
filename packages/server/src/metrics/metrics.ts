import { collectDefaultMetrics, Registry } from 'prom-client';
import { HotCounter, type CounterChild } from './hot-counter.ts';
import { HotHistogram, type HistogramChild } from './hot-histogram.ts';

/** One REST command's label-bound metric children. */
interface CommandMetrics {
  byCode: Map<number, CounterChild>;
  duration: HistogramChild;
}

/** The server's Prometheus registry and REST metrics. Other modules register their metrics on `registry`. */
export class Metrics {
  readonly registry = new Registry();
  private readonly restRequests = new HotCounter({
    name: 'readwire_rest_requests_total',
    help: 'REST API requests by command and Tencent ErrorCode',
    labelNames: ['command', 'error_code'] as const,
    registers: [this.registry],
  });
  private readonly restDuration = new HotHistogram({
    name: 'readwire_rest_request_duration_seconds',
    help: 'REST API request latency by command',
    labelNames: ['command'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly commands = new Map<string, CommandMetrics>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one REST request: its command label, Tencent ErrorCode and latency in seconds. */
  recordRest(command: string, errorCode: number, seconds: number): void {
    let m = this.commands.get(command);
    if (!m) {
      m = { byCode: new Map(), duration: this.restDuration.child(command) };
      this.commands.set(command, m);
    }
    let counter = m.byCode.get(errorCode);
    if (!counter) {
      counter = this.restRequests.child(command, String(errorCode));
      m.byCode.set(errorCode, counter);
    }
    counter.inc();
    m.duration.observe(seconds);
  }
}
