import type { PgTx } from './pg-pool.ts';
import { syncSql } from './sql/sync-sql.ts';

/** Sync-log entries computed by writes but not yet appended (a group commit appends them last, together). */
export class PendingSync {
  readonly apps: number[] = [];
  readonly users: string[] = [];
  readonly kinds: string[] = [];
  readonly msgIds: (number | null)[] = [];
  readonly data: string[] = [];
  readonly times: number[] = [];

  get size(): number {
    return this.users.length;
  }

  /** Appends every entry in one statement, which locks the log's head row until the commit (lock 5): call it last. */
  async flush(tx: PgTx): Promise<void> {
    if (this.size === 0) return;
    const values = [this.size, this.apps, this.users, this.kinds, this.msgIds, this.data, this.times];
    await tx.count(syncSql.appendMany, values);
  }
}
