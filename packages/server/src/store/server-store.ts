import type { OutboxAdmin } from '../dispatch/outbox-admin.ts';
import type { InsertClaims, Outbox } from '../dispatch/outbox.ts';
import type { SharedPresence } from './shared-presence.ts';
import type { StoreHealth } from './store-health.ts';
import type { Store } from './store.ts';

/**
 * The store as the server uses it: the storage contract plus what the server's modules need beside it — the callback
 * outbox (the dispatcher's and the admin commands' view), a commit notification (it wakes the dispatcher and the
 * client gateway) and read-only SQL for diagnostics.
 */
export interface ServerStore extends Store {
  /** The callback outbox. */
  readonly outbox: Outbox & OutboxAdmin;
  /**
   * Calls `listener` after every commit, with the highest callback event row id committed so far that may need a
   * claim (events leased at insert are left out, so a commit that wrote only those reports no new id).
   */
  onCommit(listener: (maxEventRowId: number) => void): void;
  /** Lets writes lease the callback events they create to the dispatcher at once (see {@link InsertClaims}). */
  claimOnInsert(claims: InsertClaims): void;
  /** Runs one read-only SQL statement and returns its rows (diagnostics and tests; a writing statement is refused). */
  inspect<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /**
   * Whether the store can take writes now, without I/O; `/healthz` answers 503 with `reason` when it cannot (e.g. the
   * database file was deleted under the server, the disk is full, the database is unreachable).
   */
  health(): StoreHealth;
  /** Calls `listener` once when a storage problem starts, with a message for the operator naming what and where. */
  onProblem(listener: (message: string) => void): void;
  /**
   * Copies the whole database, consistent as of one moment, to a new file at `file` while the store keeps serving
   * (SQLite only; absent on PostgreSQL, whose backups are pg_dump's job).
   */
  backup?(file: string): Promise<void>;
  /**
   * Presence shared by every node on this store, for the node `nodeId`; absent on a store only one node uses (its
   * gateway's own view is then the whole truth).
   */
  sharedPresence?(nodeId: string, onError: (error: unknown) => void): SharedPresence;
}
