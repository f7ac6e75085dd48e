import type { Database } from 'better-sqlite3';
import type {
  AttemptFilter,
  AttemptView,
  EventFilter,
  EventView,
  OutboxAdmin,
  OutboxStats,
  ReplayFilter,
  ReplayOneResult,
  SavedCallbackConfig,
} from '../../../dispatch/outbox-admin.ts';
import type {
  AttemptRecord,
  ClaimedEvent,
  ClaimRequest,
  ClaimResult,
  Outbox,
  SettleOutcome,
} from '../../../dispatch/outbox.ts';
import type { GroupCommitter } from '../group-commit.ts';
import { prepareCallbackConfigRows } from './callback-config-rows.ts';
import { prepareClaimEvents } from './claim-events.ts';
import { prepareExpediteRetries } from './expedite-retries.ts';
import { prepareListAttempts } from './list-attempts.ts';
import { prepareListEvents } from './list-events.ts';
import { prepareOutboxStats } from './outbox-stats.ts';
import { preparePruneDelivered } from './prune-delivered.ts';
import { prepareReleaseEvent } from './release-event.ts';
import { prepareRepairParked } from './repair-parked.ts';
import { prepareReplayEvents } from './replay-events.ts';
import { prepareSettleEvent } from './settle-event.ts';

/**
 * The outbox on the embedded SQLite store. Every write is a function queued in the store's `GroupCommitter`, so it
 * shares a transaction (and its fsync) with the REST writes of the same event-loop turn and sees their rows; each
 * promise resolves after that commit. Reads run directly on the connection and see committed data only.
 * The clock is read inside each write, when the transaction runs.
 */
export class SqliteOutbox implements Outbox, OutboxAdmin {
  private readonly committer: GroupCommitter;
  private readonly now: () => number;
  private readonly claimEvents;
  private readonly settleEvent;
  private readonly releaseEvent;
  private readonly expedite;
  private readonly prune;
  private readonly repair;
  private readonly listEventsSql;
  private readonly listAttemptsSql;
  private readonly replaySql;
  private readonly statsSql;
  private readonly configRows;
  private readonly maxId;

  constructor(db: Database, committer: GroupCommitter, now: () => number = Date.now) {
    if (!committer.owns(db)) throw new Error('the committer must write to the same connection');
    this.committer = committer;
    this.now = now;
    this.claimEvents = prepareClaimEvents(db);
    this.settleEvent = prepareSettleEvent(db);
    this.releaseEvent = prepareReleaseEvent(db);
    this.expedite = prepareExpediteRetries(db);
    this.prune = preparePruneDelivered(db);
    this.repair = prepareRepairParked(db);
    this.listEventsSql = prepareListEvents(db);
    this.listAttemptsSql = prepareListAttempts(db);
    this.replaySql = prepareReplayEvents(db);
    this.statsSql = prepareOutboxStats(db);
    this.configRows = prepareCallbackConfigRows(db);
    this.maxId = db.prepare<[], number | null>('SELECT max(id) FROM callback_events').pluck();
  }

  claim(owner: string, requests: ClaimRequest[]): Promise<ClaimResult[]> {
    return this.committer.run(() => {
      const now = this.now();
      return requests.map((r) => this.claimEvents(r.appId, owner, r.leaseMs, r.limit, now));
    });
  }

  settle(event: ClaimedEvent, outcome: SettleOutcome, record: AttemptRecord): Promise<boolean> {
    return this.committer.run(() => this.settleEvent(event, outcome, record, this.now()));
  }

  release(event: ClaimedEvent): Promise<boolean> {
    return this.committer.run(() => this.releaseEvent(event, this.now()));
  }

  expediteRetries(appIds: number[]): Promise<number> {
    return this.committer.run(() => this.expedite(appIds, this.now()));
  }

  pruneDelivered(beforeMs: number, limit: number): Promise<number> {
    return this.committer.run(() => this.prune(beforeMs, limit));
  }

  repairParked(): Promise<number> {
    return this.committer.run(() => this.repair());
  }

  maxRowId(): number {
    return this.maxId.get() ?? 0;
  }

  listEvents(filter: EventFilter): EventView[] {
    return this.listEventsSql(filter, this.now());
  }

  listAttempts(filter: AttemptFilter): AttemptView[] | undefined {
    return this.listAttemptsSql(filter);
  }

  replayEvent(appId: number, eventId: string): Promise<ReplayOneResult> {
    return this.committer.run(() => this.replaySql.replayEvent(appId, eventId, this.now()));
  }

  replayDead(filter: ReplayFilter): Promise<number> {
    return this.committer.run(() => this.replaySql.replayDead(filter, this.now()));
  }

  stats(): OutboxStats[] {
    return this.statsSql();
  }

  loadConfigs(): SavedCallbackConfig[] {
    return this.configRows.load();
  }

  saveConfig(appId: number, config: unknown): Promise<void> {
    return this.committer.run(() => this.configRows.save(appId, config, this.now()));
  }
}
