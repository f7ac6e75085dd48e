/**
 * What may have changed in the shared database, as nodes tell each other:
 * - `events`: callback events that no dispatcher leased were committed (or replayed): a dispatcher should claim;
 * - `sync`: sync-log entries were committed: gateways should route them to their connected devices;
 * - `config`: a callback config was saved: nodes should load the saved configs again.
 */
export type ClusterTopic = 'events' | 'sync' | 'config';

/** Every topic, e.g. for "may have missed something" after a reconnect. */
export const CLUSTER_TOPICS: readonly ClusterTopic[] = ['events', 'sync', 'config'];

/**
 * How the nodes of one deployment wake each other. A listener is called when another node published its topic, when
 * notifications may have been missed (the listening connection came back) and on every safety-net poll: it must be
 * cheap and idempotent ("read again"), never rely on being called once per change.
 *
 * With the embedded SQLite store there is one node: the bus is {@link SingleNodeBus}, which never calls anyone.
 */
export interface ClusterBus {
  /** This node's id. */
  readonly nodeId: string;
  /** Calls `listener` whenever `topic` may have changed on another node. */
  on(topic: ClusterTopic, listener: () => void): void;
  /** Tells the other nodes (coalesced, after the commit that made the change) that `topic` changed here. */
  publish(topic: ClusterTopic): void;
  /** False while the shared database is unreachable (`/healthz` answers 503). */
  healthy(): boolean;
  /** Nodes of the deployment that are up right now (at least 1: this one). */
  nodes(): number;
  /**
   * Calls `listener` when a node of the deployment went away (its listening connection closed: it stopped, crashed or
   * was cut off), and now and then as a safety net: time to end the leases of owners that are gone.
   */
  onNodeGone(listener: () => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The bus of a deployment of one node (the embedded store): nothing to tell, always healthy. */
export class SingleNodeBus implements ClusterBus {
  readonly nodeId = 'local';
  on(): void {}
  publish(): void {}
  healthy(): boolean {
    return true;
  }
  nodes(): number {
    return 1;
  }
  onNodeGone(): void {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}
