import { Counter, Gauge, type Registry } from 'prom-client';
import { HotCounter, type CounterChild } from '../metrics/hot-counter.ts';
import { HotHistogram, type HistogramChild } from '../metrics/hot-histogram.ts';
import type { OutboxStats } from './outbox-admin.ts';

/** What the queue gauges are computed from at scrape time. */
export interface QueueSources {
  stats(): Promise<OutboxStats[]>;
  endpoints(): { origin: string; active: number; open: boolean }[];
  /** Delivery admission: writes that waited (and how long in all, ms) since start, and writes waiting now. */
  admission(): { writes: number; ms: number; waiting: number };
}

/**
 * The dispatcher's Prometheus metrics: attempts by outcome, attempt latency, and — computed when scraped, from the
 * store — queue depth, dead events and the age of the oldest pending event per app, plus per-endpoint in-flight
 * attempts and breaker state.
 */
export class DispatchMetrics {
  readonly beforeSend: Counter<'outcome'>;
  private readonly deliveries: HotCounter<'app' | 'command' | 'outcome'>;
  private readonly attemptDuration: HotHistogram<'app'>;
  /** Label-bound children per app: counters by command, then outcome. */
  private readonly perApp = new Map<
    number,
    { counters: Map<string, Map<string, CounterChild>>; duration: HistogramChild }
  >();

  constructor(registry: Registry, sources: QueueSources) {
    this.deliveries = new HotCounter({
      name: 'readwire_callback_deliveries_total',
      help: 'Callback attempts by outcome: delivered, retry (failed, will retry), dead (failed, schedule exhausted), aborted (at shutdown)',
      labelNames: ['app', 'command', 'outcome'] as const,
      registers: [registry],
    });
    this.attemptDuration = new HotHistogram({
      name: 'readwire_callback_attempt_duration_seconds',
      help: 'Callback attempt latency (request sent to response read, or failure)',
      labelNames: ['app'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    });
    this.beforeSend = new Counter({
      name: 'readwire_callback_before_send_total',
      help: 'C2C.CallbackBeforeSendMsg decisions: allow, refuse, drop, failed (sent anyway), skipped (breaker open)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.registerGauges(registry, sources);
  }

  /** Counts one attempt and observes its latency (label children are cached: this runs per callback). */
  attempt(appId: number, command: string, outcome: string, seconds: number): void {
    let m = this.perApp.get(appId);
    if (!m) {
      m = { counters: new Map(), duration: this.attemptDuration.child(String(appId)) };
      this.perApp.set(appId, m);
    }
    let byOutcome = m.counters.get(command);
    if (!byOutcome) {
      byOutcome = new Map();
      m.counters.set(command, byOutcome);
    }
    let c = byOutcome.get(outcome);
    if (!c) {
      c = this.deliveries.child(String(appId), command, outcome);
      byOutcome.set(outcome, c);
    }
    c.inc();
    m.duration.observe(seconds);
  }

  private registerGauges(registry: Registry, sources: QueueSources): void {
    const appGauge = (name: string, help: string, pick: (s: OutboxStats, now: number) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['app'] as const,
        registers: [registry],
        async collect() {
          const stats = await sources.stats();
          this.reset();
          const now = Date.now();
          for (const s of stats) {
            const v = pick(s, now);
            if (v !== undefined) this.set({ app: String(s.appId) }, v);
          }
        },
      });
    appGauge(
      'readwire_callback_queue_depth',
      'Pending callback events (not yet delivered or dead) per app',
      (s) => s.pending,
    );
    appGauge('readwire_callback_dead_events', 'Dead callback events (kept until replayed) per app', (s) => s.dead);
    appGauge(
      'readwire_callback_oldest_pending_age_seconds',
      'Age of the oldest pending callback event per app',
      (s, now) => (s.oldestPendingAt === undefined ? undefined : Math.max(0, (now - s.oldestPendingAt) / 1000)),
    );
    new Counter({
      name: 'readwire_callback_admission_waits_total',
      help: 'Writes that waited for delivery admission (their app had a backlog at admissionBacklog)',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sources.admission().writes);
      },
    });
    new Counter({
      name: 'readwire_callback_admission_wait_seconds_total',
      help: 'Time writes spent waiting for delivery admission',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sources.admission().ms / 1000);
      },
    });
    new Gauge({
      name: 'readwire_callback_admission_waiting',
      help: 'Writes waiting for delivery admission now',
      registers: [registry],
      collect() {
        this.set(sources.admission().waiting);
      },
    });
    new Gauge({
      name: 'readwire_callback_endpoint_in_flight',
      help: 'Callback attempts in flight per endpoint',
      labelNames: ['endpoint'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const e of sources.endpoints()) this.set({ endpoint: e.origin }, e.active);
      },
    });
    new Gauge({
      name: 'readwire_callback_endpoint_breaker_open',
      help: '1 while an endpoint’s circuit breaker is open or probing',
      labelNames: ['endpoint'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const e of sources.endpoints()) this.set({ endpoint: e.origin }, e.open ? 1 : 0);
      },
    });
  }
}
