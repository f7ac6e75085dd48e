import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The client gateway's Prometheus metrics. */
export class GatewayMetrics {
  readonly connections: Gauge;
  readonly requests: Counter<'op' | 'error_code'>;
  readonly duration: Histogram<'op'>;
  readonly pushes: Counter;
  readonly disconnects: Counter<'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.connections = new Gauge({
      name: 'readwire_gateway_connections',
      help: 'Open client WebSocket connections',
      registers,
    });
    this.requests = new Counter({
      name: 'readwire_gateway_requests_total',
      help: 'Client gateway requests by operation and Tencent ErrorCode',
      labelNames: ['op', 'error_code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'readwire_gateway_request_duration_seconds',
      help: 'Client gateway request latency by operation',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.pushes = new Counter({
      name: 'readwire_gateway_frames_sent_total',
      help: 'Frames sent to clients',
      registers,
    });
    this.disconnects = new Counter({
      name: 'readwire_gateway_disconnects_total',
      help: 'Client connections closed, by reason',
      labelNames: ['reason'],
      registers,
    });
  }
}
