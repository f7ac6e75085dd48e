import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { CLUSTER_TOPICS, type ClusterBus, type ClusterTopic } from './cluster-bus.ts';
import { PgNotifier, type NotifierLog } from './pg-notifier.ts';

/** Settings of a {@link PgClusterBus}. */
export interface PgClusterBusOptions {
  /** How to connect (node-postgres settings; without a connection string the `PG*` environment variables apply). */
  connection: pg.ClientConfig;
  /** The deployment's schema: nodes on the same database and schema form one deployment. */
  schema: string;
  /** Safety-net poll: every this many ms, `sync` and `config` listeners read again and nodes are counted (1,000). */
  pollIntervalMs?: number | undefined;
  /** Topics published within this many ms go out as one NOTIFY (10). */
  coalesceMs?: number | undefined;
  log: NotifierLog;
}

/** A channel or application name for a schema: readable when short, hashed when PostgreSQL's 63 bytes would cut it. */
export function deploymentName(prefix: string, schema: string): string {
  const name = `${prefix}${schema}`;
  if (Buffer.byteLength(name) <= 63) return name;
  return `${prefix}${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/**
 * The nodes of a PostgreSQL deployment waking each other with LISTEN/NOTIFY over one dedicated connection per node
 * (see {@link PgNotifier}), with a poll as the safety net. Nodes count each other by the `application_name` of those
 * connections in `pg_stat_activity` (a node killed outright drops its connection, so it stops counting at once);
 * the count divides the per-deployment REST rate limit. Healthy while the listening connection is up.
 */
export class PgClusterBus implements ClusterBus {
  readonly nodeId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly notifier: PgNotifier;
  private readonly listeners = new Map<ClusterTopic, (() => void)[]>();
  private readonly applicationName: string;
  private readonly pollIntervalMs: number;
  private pollTimer: NodeJS.Timeout | undefined;
  private counting = false;
  private live = 1;
  private polls = 0;
  private readonly goneListeners: (() => void)[] = [];

  constructor(options: PgClusterBusOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.applicationName = deploymentName('readwire ', options.schema);
    this.notifier = new PgNotifier({
      connection: options.connection,
      channel: deploymentName('readwire_', options.schema),
      nodeId: this.nodeId,
      applicationName: this.applicationName,
      coalesceMs: options.coalesceMs ?? 10,
      log: options.log,
    });
    this.notifier.onMessage((topics) => {
      // Another node is up, whatever the last count said.
      if (this.live < 2) this.live = 2;
      for (const t of topics) this.fire(t as ClusterTopic);
    });
    this.notifier.onReconnect(() => {
      for (const t of CLUSTER_TOPICS) this.fire(t);
    });
  }

  /** The notifier underneath (tests look at what it sent). */
  get connection(): PgNotifier {
    return this.notifier;
  }

  on(topic: ClusterTopic, listener: () => void): void {
    let list = this.listeners.get(topic);
    if (!list) this.listeners.set(topic, (list = []));
    list.push(listener);
  }

  publish(topic: ClusterTopic): void {
    // Alone, nobody would hear it (a node that joins reads everything at its start, and polls).
    if (this.live > 1) this.notifier.publish(topic);
  }

  healthy(): boolean {
    return this.notifier.connected;
  }

  nodes(): number {
    return this.live;
  }

  onNodeGone(listener: () => void): void {
    this.goneListeners.push(listener);
  }

  async start(): Promise<void> {
    await this.notifier.start();
    await this.countNodes();
    this.pollTimer = setInterval(() => this.poll(), this.pollIntervalMs);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pollTimer);
    await this.notifier.stop();
  }

  private poll(): void {
    this.fire('sync');
    this.fire('config');
    void this.countNodes();
    // Every tenth poll: a node may have gone unseen between two counts (one left as another came).
    if (++this.polls % 10 === 0) for (const l of this.goneListeners) l();
  }

  /** Counts the deployment's listening connections (this node's included) now; resolves with the count. */
  async countNodes(): Promise<number> {
    if (this.counting || !this.notifier.connected) return this.live;
    this.counting = true;
    try {
      const rows = await this.notifier.probe<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [this.applicationName],
      );
      const live = Math.max(1, rows[0]?.n ?? 1);
      const fewer = live < this.live;
      this.live = live;
      if (fewer) for (const l of this.goneListeners) l();
    } catch {
      // The connection is gone or slow: the notifier reconnects; keep the last count.
    } finally {
      this.counting = false;
    }
    return this.live;
  }

  private fire(topic: ClusterTopic): void {
    for (const l of this.listeners.get(topic) ?? []) l();
  }
}
