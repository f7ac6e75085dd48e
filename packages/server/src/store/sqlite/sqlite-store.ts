import type { Database } from 'better-sqlite3';
import type { ClaimedEvent, InsertClaims } from '../../dispatch/outbox.ts';
import { planEffects, type EffectResults } from '../../core/plan-effects.ts';
import type {
  AccountInput,
  BatchSendResult,
  DeleteAccountsResult,
  DeleteConversationRequest,
  DeleteConversationResult,
  NewMessage,
  KickResult,
  ModifyRequest,
  ModifyResult,
  ReadAllRequest,
  ReadAllResult,
  ReadReceiptRequest,
  ReadReceiptResult,
  ReadReport,
  ReadResult,
  RoamPage,
  RoamQuery,
  SendResult,
  StateChange,
  UnreadCounts,
  WithdrawRequest,
  WithdrawResult,
} from '../../domain/types.ts';
import { ImError } from '../../errors/im-error.ts';
import type { ConversationPage, MessagePage, PageRequest } from '../conversation-page.ts';
import type { EffectKind, EffectPlanOf } from '../effect-plan.ts';
import type { ServerStore } from '../server-store.ts';
import type { StoreHealth } from '../store-health.ts';
import type { SyncPage, SyncQuery } from '../sync-event.ts';
import { endOfTurn } from './end-of-turn.ts';
import { GroupCommitter } from './group-commit.ts';
import { openSqlite, type SqliteOptions } from './open-sqlite.ts';
import { batchSendOp } from './ops/batch-send-op.ts';
import { deleteAccountsOp } from './ops/delete-accounts-op.ts';
import { deleteConversationOp } from './ops/delete-conversation-op.ts';
import { importMessageOp } from './ops/import-message-op.ts';
import { kickAccountOp } from './ops/kick-account-op.ts';
import { modifyMessageOp } from './ops/modify-message-op.ts';
import { readAllOp } from './ops/read-all-op.ts';
import { readReceiptOp } from './ops/read-receipt-op.ts';
import { sendMessageOp } from './ops/send-message-op.ts';
import { setReadOp } from './ops/set-read-op.ts';
import { withdrawOp } from './ops/withdraw-op.ts';
import { SqliteOutbox } from './outbox/sqlite-outbox.ts';
import { SqliteContext } from './sqlite-context.ts';
import { SqliteHealth } from './sqlite-health.ts';
import { holdPathLock, type PathLock } from './hold-path-lock.ts';
import { SqliteListings } from './sqlite-listings.ts';
import { settled } from './settled.ts';
import { SqliteSyncLog } from './sqlite-sync-log.ts';
import { onlineBackup } from './online-backup.ts';

/**
 * The embedded store: one SQLite file, WAL, an exclusive lock, group commit. Reads run directly on the connection
 * (they see only committed data, since writes run whole inside one synchronous batch).
 */
export class SqliteStore implements ServerStore {
  readonly db: Database;
  readonly committer: GroupCommitter;
  readonly ctx: SqliteContext;
  /** The per-user sync log the client gateway resumes from. */
  readonly syncLog: SqliteSyncLog;
  private readonly listings: SqliteListings;
  private readonly healthWatch: SqliteHealth;
  private pathLock: PathLock | undefined;
  private closed = false;
  private outboxInstance: SqliteOutbox | undefined;
  private readonly commitListeners: ((maxEventRowId: number) => void)[] = [];

  constructor(options: SqliteOptions) {
    this.db = openSqlite(options);
    this.committer = new GroupCommitter(this.db, options.groupCommitWindowMs ?? 0);
    this.ctx = new SqliteContext(this.db, this.committer);
    this.syncLog = new SqliteSyncLog(this.ctx);
    this.listings = new SqliteListings(this.ctx);
    this.healthWatch = new SqliteHealth(options.path, this.committer);
  }

  /**
   * Opens the store as a server does: also holds a lock named after the database's absolute path for the life of the
   * process, which (unlike SQLite's file lock) still refuses a second server after the file was deleted or replaced.
   */
  static async open(options: SqliteOptions): Promise<SqliteStore> {
    const lock = options.path === ':memory:' ? undefined : await holdPathLock(options.path);
    try {
      const store = new SqliteStore(options);
      store.pathLock = lock;
      return store;
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  health(): StoreHealth {
    return this.healthWatch.health();
  }

  onProblem(listener: (message: string) => void): void {
    this.healthWatch.onProblem(listener);
  }

  /** The callback outbox on this connection (created on first use). */
  get outbox(): SqliteOutbox {
    return (this.outboxInstance ??= new SqliteOutbox(this.db, this.committer));
  }

  onCommit(listener: (maxEventRowId: number) => void): void {
    // One committer listener hands every store listener the outbox head, read again only after a commit that wrote
    // an event without a lease (a claim has to find it); events leased at insert need no claim.
    if (this.commitListeners.length === 0) {
      let head = this.outbox.headRowId();
      this.committer.onCommit(() => {
        if (this.ctx.unleasedWritten) {
          this.ctx.unleasedWritten = false;
          head = this.outbox.headRowId();
        }
        for (const l of this.commitListeners) l(head);
      });
    }
    this.commitListeners.push(listener);
  }

  claimOnInsert(claims: InsertClaims): void {
    this.ctx.insertClaims = claims;
    this.committer.onBegin(() => claims.reset());
  }

  inspect<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
    return this.readNow(() => {
      const statement = this.db.prepare(sql);
      if (!statement.reader || !statement.readonly) throw new Error('inspect runs read-only queries only');
      return statement.all(...params) as T[];
    });
  }

  /** Copies the live database to `file` in short steps while writes continue (see {@link onlineBackup}). */
  backup(file: string): Promise<void> {
    if (this.closed) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    return onlineBackup(this.db, file);
  }

  /** Runs a write in the next group commit (its own transaction, stamped with the commit time). */
  private write<R>(fn: (nowMs: number) => R): Promise<R> {
    if (this.closed) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    return this.committer.run(() => fn(Date.now()));
  }

  /**
   * Runs a write like `write`, then, in the same transaction, writes the callback events and sync-log entries that
   * `plan` produces from its result: if any of them fails, so does the write.
   */
  private writeWithEffects<K extends EffectKind>(
    appId: number,
    fn: (nowMs: number) => EffectResults[K],
    plan: EffectPlanOf<K> | undefined,
  ): Promise<EffectResults[K]> {
    // Events leased at insert by the run of this write that committed (a rolled-back run's are replaced by the rerun's).
    let leased: ClaimedEvent[] = [];
    const written = this.write((now) => {
      leased = [];
      const result = fn(now);
      if (plan) {
        const produced = planEffects(plan, result);
        leased = this.ctx.insertCallbacks(appId, produced.callbacks, now);
        this.syncLog.append(appId, produced.sync, now);
      }
      return result;
    });
    return written.then((result) => {
      if (leased.length > 0) this.ctx.insertClaims?.adopt(leased);
      return result;
    });
  }

  importAccounts(appId: number, accounts: AccountInput[]): Promise<void> {
    return this.write((now) => {
      for (const a of accounts) this.ctx.accounts.upsert.run(appId, a.userId, a.nick ?? '', a.faceUrl ?? '', now);
    });
  }

  deleteAccounts(
    appId: number,
    userIds: string[],
    options?: { effects?: EffectPlanOf<'account-delete'> | undefined },
  ): Promise<DeleteAccountsResult> {
    return this.writeWithEffects(appId, () => deleteAccountsOp(this.ctx, appId, userIds), options?.effects);
  }

  existingAccounts(appId: number, userIds: string[]): Promise<Set<string>> {
    return this.readAtEndOfTurn(() => {
      const found = new Set<string>();
      for (const id of userIds) if (this.ctx.accounts.exists.get(appId, id) !== undefined) found.add(id);
      return found;
    });
  }

  sendMessage(
    appId: number,
    to: string,
    message: NewMessage,
    options: { dedupWindowSeconds: number; effects?: EffectPlanOf<'send'> | undefined },
  ): Promise<SendResult> {
    return this.writeWithEffects(
      appId,
      (now) => sendMessageOp(this.ctx, appId, to, message, options.dedupWindowSeconds, now),
      options.effects,
    );
  }

  batchSendMessage(
    appId: number,
    to: string[],
    message: NewMessage,
    options?: { effects?: EffectPlanOf<'batch-send'> | undefined },
  ): Promise<BatchSendResult> {
    return this.writeWithEffects(appId, (now) => batchSendOp(this.ctx, appId, to, message, now), options?.effects);
  }

  setRead(
    appId: number,
    report: ReadReport,
    options?: { effects?: EffectPlanOf<'read'> | undefined },
  ): Promise<ReadResult> {
    return this.writeWithEffects(appId, (now) => setReadOp(this.ctx, appId, report, now), options?.effects);
  }

  setReadReceipts(
    appId: number,
    request: ReadReceiptRequest,
    options?: { effects?: EffectPlanOf<'receipt'> | undefined },
  ): Promise<ReadReceiptResult> {
    return this.writeWithEffects(appId, (now) => readReceiptOp(this.ctx, appId, request, now), options?.effects);
  }

  setReadAll(
    appId: number,
    request: ReadAllRequest,
    options?: { effects?: EffectPlanOf<'read-all'> | undefined },
  ): Promise<ReadAllResult> {
    return this.writeWithEffects(appId, (now) => readAllOp(this.ctx, appId, request, now), options?.effects);
  }

  importMessage(
    appId: number,
    to: string,
    message: NewMessage,
    msgTime: number,
    options?: { effects?: EffectPlanOf<'import'> | undefined },
  ): Promise<SendResult> {
    return this.writeWithEffects(
      appId,
      (now) => importMessageOp(this.ctx, appId, to, message, msgTime, now),
      options?.effects,
    );
  }

  modifyMessage(
    appId: number,
    request: ModifyRequest,
    options?: { effects?: EffectPlanOf<'modify'> | undefined },
  ): Promise<ModifyResult> {
    return this.writeWithEffects(appId, () => modifyMessageOp(this.ctx, appId, request), options?.effects);
  }

  kickAccount(
    appId: number,
    userId: string,
    options?: { effects?: EffectPlanOf<'kick'> | undefined },
  ): Promise<KickResult> {
    return this.writeWithEffects(appId, (now) => kickAccountOp(this.ctx, appId, userId, now), options?.effects);
  }

  deleteConversation(appId: number, request: DeleteConversationRequest): Promise<DeleteConversationResult> {
    return this.write((now) => deleteConversationOp(this.ctx, appId, request, now));
  }

  sigsValidAfter(appId: number, userId: string): Promise<number> {
    return this.readNow(() => this.ctx.kicks.validAfter.get(appId, userId) ?? 0);
  }

  recordStateChange(
    appId: number,
    change: StateChange,
    options?: { effects?: EffectPlanOf<'state'> | undefined },
  ): Promise<StateChange> {
    return this.writeWithEffects(appId, () => change, options?.effects);
  }

  getUnread(appId: number, user: string, peers?: string[]): Promise<UnreadCounts> {
    return this.readAtEndOfTurn(() => this.listings.unreadCounts(appId, user, peers));
  }

  getRoamMessages(appId: number, q: RoamQuery): Promise<RoamPage> {
    return this.readAtEndOfTurn(() => this.listings.roam(appId, q));
  }

  withdrawMessage(
    appId: number,
    request: WithdrawRequest,
    options?: { effects?: EffectPlanOf<'withdraw'> | undefined },
  ): Promise<WithdrawResult> {
    return this.writeWithEffects(appId, () => withdrawOp(this.ctx, appId, request), options?.effects);
  }

  listConversations(appId: number, owner: string, page: PageRequest): Promise<ConversationPage> {
    return this.readAtEndOfTurn(() => this.listings.conversations(appId, owner, page));
  }

  listMessages(appId: number, owner: string, peer: string, page: PageRequest): Promise<MessagePage> {
    return this.readAtEndOfTurn(() => this.listings.messages(appId, owner, peer, page));
  }

  startSyncLog(appId: number, userId: string): Promise<void> {
    if (!this.closed && this.syncLog.hasLog(appId, userId)) return Promise.resolve();
    return this.write((now) => this.syncLog.start(appId, userId, now));
  }

  readSyncEvents(query: SyncQuery): Promise<SyncPage> {
    return this.readNow(() => this.syncLog.read(query));
  }

  async pruneSyncEvents(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.write(() => this.syncLog.pruneChunk(olderThanMs));
      total += n;
      if (n === 0) return total;
    }
  }

  /** Runs a read on the connection now (it sees only committed data); errors become rejections. */
  private readNow<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    return settled(fn);
  }

  /**
   * Runs a read that answers a request like `readNow`, but at the end of the event-loop turn, together with the other
   * reads asked for in the same turn (see `endOfTurn`).
   */
  private readAtEndOfTurn<T>(fn: () => T): Promise<T> {
    return endOfTurn().then(() => this.readNow(fn));
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.healthWatch.close();
      this.committer.flush();
      this.db.close();
      await this.pathLock?.release();
    }
  }
}
