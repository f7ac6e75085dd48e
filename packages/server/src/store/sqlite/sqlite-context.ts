import type { Database } from 'better-sqlite3';
import type { ClaimedEvent, InsertClaims } from '../../dispatch/outbox.ts';
import type { CallbackEventInput } from '../callback-event-input.ts';
import { newEventId } from './event-id.ts';
import type { GroupCommitter } from './group-commit.ts';
import { prepareAccountStatements } from './sql/account-statements.ts';
import { prepareConversationStatements } from './sql/conversation-statements.ts';
import { prepareMessageStatements } from './sql/message-statements.ts';
import { prepareOutboxInsert } from './sql/outbox-statements.ts';
import { prepareAccountDeleteStatements } from './sql/account-delete-statements.ts';
import { prepareConversationDeleteStatements } from './sql/conversation-delete-statements.ts';
import { prepareImportStatements } from './sql/import-statements.ts';
import { prepareKickStatements } from './sql/kick-statements.ts';
import { prepareModifyStatements } from './sql/modify-statements.ts';
import { prepareReadAllStatements } from './sql/read-all-statements.ts';
import { prepareReadReceiptStatements } from './sql/read-receipt-statements.ts';

/** Everything a SQLite operation needs: the connection, its prepared statements and the id/time allocators. */
export class SqliteContext {
  readonly accounts;
  readonly conversations;
  readonly messages;
  readonly receipts;
  readonly readAll;
  readonly imports;
  readonly modify;
  readonly kicks;
  readonly accountDelete;
  readonly conversationDelete;
  private readonly outboxInsert;
  private nextId: number;
  /** Set by the dispatcher: events may be leased to it as they are written. */
  insertClaims: InsertClaims | undefined;
  /** An event was written without a lease since the flag was last cleared (a claim has to find it). */
  unleasedWritten = false;
  private lastTime: number;

  readonly db: Database;
  readonly committer: GroupCommitter;

  constructor(db: Database, committer: GroupCommitter) {
    this.db = db;
    this.committer = committer;
    this.accounts = prepareAccountStatements(db);
    this.conversations = prepareConversationStatements(db);
    this.messages = prepareMessageStatements(db);
    this.receipts = prepareReadReceiptStatements(db);
    this.readAll = prepareReadAllStatements(db);
    this.imports = prepareImportStatements(db);
    this.modify = prepareModifyStatements(db);
    this.kicks = prepareKickStatements(db);
    this.accountDelete = prepareAccountDeleteStatements(db);
    this.conversationDelete = prepareConversationDeleteStatements(db);
    this.outboxInsert = prepareOutboxInsert(db);
    // Safe because this process holds the database's exclusive lock (see openSqlite).
    this.nextId = (this.messages.maxId.get() ?? 0) + 1;
    this.lastTime = this.messages.maxTime.get() ?? 0;
  }

  /** Allocates a message id: strictly increasing, finer than seconds. Gaps are allowed. */
  allocateId(): number {
    return this.nextId++;
  }

  /** Current Unix seconds, never lower than any stored MsgTime (a clock step back cannot reorder messages). */
  messageTime(nowMs: number): number {
    this.lastTime = Math.max(this.lastTime, Math.floor(nowMs / 1000));
    return this.lastTime;
  }

  /**
   * Writes callback events; must be called inside the write transaction. With `insertClaims` set, an event that is
   * the head of its ordering key is written already leased when the dispatcher has room: those are returned, to be
   * handed over (`InsertClaims.adopt`) once the transaction committed.
   */
  insertCallbacks(appId: number, events: CallbackEventInput[] | undefined, nowMs: number): ClaimedEvent[] {
    const leased: ClaimedEvent[] = [];
    if (!events) return leased;
    const { insert, insertLeased, hasPending } = this.outboxInsert;
    for (const e of events) {
      const body = JSON.stringify({ CallbackCommand: e.command, ...e.payload, EventTime: nowMs });
      const eventId = newEventId(nowMs);
      const { clientIp, optPlatform } = e.origin;
      const lease =
        this.insertClaims && hasPending.get(appId, e.orderingKey) === undefined
          ? this.insertClaims.take(appId)
          : undefined;
      if (!lease) {
        insert.run(eventId, appId, e.command, e.orderingKey, body, clientIp, optPlatform, nowMs, nowMs);
        this.unleasedWritten = true;
        continue;
      }
      const until = nowMs + lease.leaseMs;
      const rowId = Number(
        insertLeased.run(
          eventId,
          appId,
          e.command,
          e.orderingKey,
          body,
          clientIp,
          optPlatform,
          until,
          nowMs,
          lease.owner,
          until,
        ).lastInsertRowid,
      );
      leased.push({
        rowId,
        eventId,
        appId,
        command: e.command,
        orderingKey: e.orderingKey,
        body,
        clientIp,
        optPlatform,
        attempt: 1,
        scheduleAttempt: 1,
        createdAt: nowMs,
        owner: lease.owner,
      });
    }
    return leased;
  }
}
