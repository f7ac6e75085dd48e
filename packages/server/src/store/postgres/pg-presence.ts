import type { PresenceDevice, SharedPresence } from '../shared-presence.ts';
import type { PgPool } from './pg-pool.ts';
import { presenceSql } from './sql/presence-sql.ts';

/** Timing of a {@link PgPresence}. */
export interface PgPresenceOptions {
  /** How often the node renews its heartbeat (and repairs its rows after a failed write): 2,000 ms. */
  heartbeatMs?: number | undefined;
  /** A node whose heartbeat is older than this no longer counts (its devices read as offline): 6,000 ms. */
  staleMs?: number | undefined;
  /** A node whose heartbeat is older than this is deleted with its devices by any node: 60,000 ms. */
  collectMs?: number | undefined;
  onError?: ((error: unknown) => void) | undefined;
  now?: (() => number) | undefined;
}

/**
 * Shared presence on PostgreSQL (`sql/presence-sql.ts`): each node writes the devices of its own client gateway as they
 * join and leave (in order, one write at a time, off the login path) and renews a heartbeat; a query counts devices
 * on nodes with a fresh heartbeat only. A node that dies stops counting within `staleMs`. A write that fails (the
 * database was unreachable) marks the node's rows as stale in memory, and the next heartbeat rewrites them all.
 */
export class PgPresence implements SharedPresence {
  private readonly pool: PgPool;
  private readonly nodeId: string;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly collectMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => number;
  private readonly ids = new Map<PresenceDevice, number>();
  private nextId = 1;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(pool: PgPool, nodeId: string, options: PgPresenceOptions = {}) {
    this.pool = pool;
    this.nodeId = nodeId;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.staleMs = options.staleMs ?? 6000;
    this.collectMs = options.collectMs ?? 60_000;
    this.onError = options.onError ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  join(device: PresenceDevice): void {
    if (this.stopped || this.ids.has(device)) return;
    const id = this.nextId++;
    this.ids.set(device, id);
    const row = [this.nodeId, id, device.appId, device.userId, device.platform ?? 'Unknown'];
    this.enqueue(() => this.pool.rows(presenceSql.join, row));
  }

  leave(device: PresenceDevice): void {
    const id = this.ids.get(device);
    if (id === undefined) return;
    this.ids.delete(device);
    if (!this.stopped) this.enqueue(() => this.pool.rows(presenceSql.leave, [this.nodeId, id]));
  }

  async devices(appId: number, userIds: string[]): Promise<Map<string, string[]>> {
    const rows = await this.pool.rows<{ user_id: string; platform: string }>(presenceSql.devices, [
      appId,
      userIds,
      this.now() - this.staleMs,
    ]);
    const found = new Map<string, string[]>();
    for (const r of rows) {
      let list = found.get(r.user_id);
      if (!list) found.set(r.user_id, (list = []));
      list.push(r.platform);
    }
    return found;
  }

  async start(): Promise<void> {
    await this.pool.rows(presenceSql.beat, [this.nodeId, this.now()]);
    this.timer = setInterval(() => this.enqueue(() => this.heartbeat()), this.heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.chain;
    try {
      await this.pool.rows(presenceSql.forget, [this.nodeId]);
    } catch (error) {
      // Unreachable: the rows stop counting when the heartbeat ages, and another node deletes them later.
      this.onError(error);
    }
  }

  /** Runs `write` after the writes before it; a failure marks the rows for a rewrite at the next heartbeat. */
  private enqueue(write: () => Promise<unknown>): void {
    this.chain = this.chain.then(write).then(
      () => undefined,
      (error: unknown) => {
        this.dirty = true;
        this.onError(error);
      },
    );
  }

  private async heartbeat(): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    if (this.dirty) {
      const devices = [...this.ids];
      this.dirty = true;
      await this.pool.transaction(async (tx) => {
        await tx.rows(presenceSql.beat, [this.nodeId, now]);
        await tx.rows(presenceSql.clear, [this.nodeId]);
        await tx.rows(presenceSql.joinMany, [
          this.nodeId,
          devices.map(([, id]) => id),
          devices.map(([d]) => d.appId),
          devices.map(([d]) => d.userId),
          devices.map(([d]) => d.platform ?? 'Unknown'),
        ]);
      });
      this.dirty = false;
    } else {
      await this.pool.rows(presenceSql.beat, [this.nodeId, now]);
    }
    await this.pool.rows(presenceSql.collect, [now - this.collectMs]);
  }
}
