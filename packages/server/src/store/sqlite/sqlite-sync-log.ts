import type { SyncEvent, SyncEventInput, SyncKind, SyncPage, SyncQuery } from '../sync-event.ts';
import { toStoredMessage } from './message-row.ts';
import type { MessageRow } from './sql/message-statements.ts';
import { prepareSyncStatements, type SyncRow, type SyncRowWithMessage } from './sql/sync-statements.ts';
import type { SqliteContext } from './sqlite-context.ts';

/** Entries pruned per transaction, so pruning a large backlog never holds the write lock for long. */
const PRUNE_CHUNK = 5000;

function toSyncEvent(row: SyncRow): SyncEvent {
  const event: SyncEvent = {
    seq: row.id,
    appId: row.app_id,
    userId: row.user_id,
    kind: row.kind as SyncKind,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
  };
  if (row.m_id !== null) {
    const r = row as SyncRowWithMessage;
    const message: MessageRow = {
      id: r.m_id,
      msg_key: r.m_msg_key,
      from_account: r.m_from_account,
      to_account: r.m_to_account,
      msg_seq: r.m_msg_seq,
      msg_random: r.m_msg_random,
      msg_time: r.m_msg_time,
      body: r.m_body,
      cloud_custom_data: r.m_cloud_custom_data,
      counts_unread: r.m_counts_unread,
      sync_other_machine: r.m_sync_other_machine,
      recalled: r.m_recalled,
    };
    event.message = toStoredMessage(message);
  }
  return event;
}

/** The per-user sync log on SQLite (migration 0003): appended inside write transactions, read by the gateway. */
export class SqliteSyncLog {
  private readonly s;
  private readonly ctx: SqliteContext;
  /**
   * Apps with at least one user who has a log (it only grows; a start rolled back leaves a harmless extra entry), so
   * the writes of an app whose users never logged in to the gateway skip the per-user lookups.
   */
  private readonly appsWithLogs: Set<number>;

  constructor(ctx: SqliteContext) {
    this.ctx = ctx;
    this.s = prepareSyncStatements(ctx.db);
    this.appsWithLogs = new Set(this.s.appsWithUsers.all());
  }

  /** Appends entries of users who have a log; must run inside the write transaction of the change they report. */
  append(appId: number, inputs: SyncEventInput[] | undefined, nowMs: number): void {
    if (!inputs || !this.appsWithLogs.has(appId)) return;
    for (const e of inputs) {
      if (this.s.isSyncUser.get(appId, e.userId) === undefined) continue;
      let data = e.data;
      if (e.countsPeer !== undefined) {
        const conversation = this.ctx.conversations.unread.get(appId, e.userId, e.countsPeer) ?? 0;
        const total = this.ctx.accounts.unreadTotal.get(appId, e.userId) ?? 0;
        data = { ...data, unread: { peer: e.countsPeer, conversation, total } };
      }
      this.s.insert.run({
        app: appId,
        user: e.userId,
        kind: e.kind,
        msgId: e.msgId ?? null,
        data: JSON.stringify(data),
        now: nowMs,
      });
    }
  }

  /** Whether `userId` has a log. */
  hasLog(appId: number, userId: string): boolean {
    return this.s.isSyncUser.get(appId, userId) !== undefined;
  }

  /** Starts a user's log (idempotent); must run inside a write. */
  start(appId: number, userId: string, nowMs: number): void {
    this.appsWithLogs.add(appId);
    this.s.addSyncUser.run(appId, userId, nowMs);
  }

  /** Reads one page; `head` and `horizon` are read in the same synchronous step, so they describe this page. */
  read(q: SyncQuery): SyncPage {
    const rows =
      q.userId !== undefined && q.appId !== undefined
        ? this.s.readUser.all(q.appId, q.userId, q.after, q.limit)
        : this.s.readAll.all(q.after, q.limit);
    return {
      events: rows.map(toSyncEvent),
      head: this.s.head.get() ?? 0,
      horizon: this.s.horizon.get() ?? 0,
    };
  }

  /** Deletes up to one chunk of entries created before `olderThanMs`; returns how many. Runs inside a write. */
  pruneChunk(olderThanMs: number): number {
    const upto = this.s.pruneUpto.get(PRUNE_CHUNK, olderThanMs);
    if (upto === null || upto === undefined) return 0;
    const deleted = this.s.deleteUpto.run(upto).changes;
    this.s.setHorizon.run(upto);
    return deleted;
  }
}
