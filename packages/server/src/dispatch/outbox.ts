/**
 * The dispatcher's view of the callback outbox: claim due events, settle attempts, and the admin operations.
 *
 * Terminology
 * - **event**: one callback to send (a row of `callback_events`), written in the same transaction as the change it
 *   reports; `eventId` (a UUID) is stable across attempts and travels as `X-Readwire-Event-Id` / `webhook-id`.
 * - **ordering key**: `Report_Account` (read reports) or `From_Account` (send, recall). Events of one app and key are
 *   sent one at a time in commit order; the next only after the previous was delivered or became dead.
 * - **head**: the lowest pending event of its app and key — the only one that may be claimed.
 * - **claim / lease**: a dispatcher takes a due head for `leaseMs` (longer than the request timeout). A lease that
 *   expires (the process died) makes the event due again: that is the whole crash recovery.
 * - **attempt**: one POST of an event; every attempt is recorded. **delivered**: HTTP 200 with a JSON body.
 *   **dead**: the retry schedule is exhausted; kept until replayed.
 * - **endpoint**: the origin (`scheme://host:port`) of a callback URL; concurrency and the circuit breaker are per
 *   endpoint.
 * @module
 */

/** State of an event. */
export type EventState = 'pending' | 'delivered' | 'dead';

/** An event claimed for one attempt. */
export interface ClaimedEvent {
  /** Row id (commit order). */
  rowId: number;
  eventId: string;
  appId: number;
  command: string;
  orderingKey: string;
  /** Exact JSON body bytes, identical on every attempt. */
  body: string;
  clientIp: string;
  optPlatform: string;
  /** 1-based number of this attempt over the event's life (`X-Readwire-Attempt`). */
  attempt: number;
  /** This attempt's position in the retry schedule (1 = first attempt since creation or replay). */
  scheduleAttempt: number;
  createdAt: number;
  /** The lease owner; settle and release are fenced by it and `attempt`. */
  owner: string;
}

/** How many events to claim for one app. */
export interface ClaimRequest {
  appId: number;
  limit: number;
  leaseMs: number;
}

/** What one app's claim returned. */
export interface ClaimResult {
  appId: number;
  events: ClaimedEvent[];
  /** Earliest `next_attempt_at` of the app's unparked pending events after the claim (leased ones included). */
  nextDueAt: number | undefined;
  /** The scan budget ran out before `limit` was reached: claim again soon. */
  more: boolean;
}

/** What an attempt observed. */
export interface AttemptRecord {
  url: string;
  startedAt: number;
  latencyMs: number;
  status?: number | undefined;
  errorCode?: number | undefined;
  errorInfo?: string | undefined;
  /** Why the attempt failed; absent when delivered. */
  error?: string | undefined;
}

/** What becomes of an event after an attempt. */
export type SettleOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; nextAttemptAt: number }
  | { kind: 'dead' }
  /** Aborted at shutdown: due again at once, and the aborted attempt does not count against the schedule. */
  | { kind: 'aborted' };

/** The delivery writes, valid inside `Outbox.batch` (synchronous: they run in the batch's transaction). */
export interface OutboxWriter {
  /** Claims up to `request.limit` due heads of one app for `owner`. */
  claim(owner: string, request: ClaimRequest, now: number): ClaimResult;
  /** Records an attempt and moves the event on; false when the lease was lost (someone else owns it now). */
  settle(event: ClaimedEvent, outcome: SettleOutcome, record: AttemptRecord, now: number): boolean;
  /** Returns a claimed event that was never sent; false when the lease was lost. */
  release(event: ClaimedEvent, now: number): boolean;
  /** Makes the waiting retries of these apps due now (an endpoint recovered). */
  expediteRetries(appIds: number[], now: number): number;
}

/**
 * The outbox as the dispatcher uses it. Delivery writes (claims, settles, releases) are batched by the caller and run
 * in one transaction per event-loop turn through `batch`; maintenance writes go through the store's group commit.
 */
export interface Outbox {
  /**
   * Runs `work` in one write transaction. Unless `durable`, the commit does not wait for an fsync: the writes are in
   * the OS cache at once (a crash of the process loses nothing) and on disk with the next fully synced commit (the
   * next acknowledged REST write); a power loss can lose only these delivery writes, whose events are then sent
   * again — never a reported change or its event, which are written with full durability.
   */
  batch<T>(work: (writer: OutboxWriter, now: number) => T, durable?: boolean): T;
  /** Whether changes are queued for the store's next group commit (a batch can then ride along with them). */
  commitPending(): boolean;
  /**
   * Runs `work` inside the store's next group commit, after the changes queued before it (so it sees their events),
   * sharing their transaction and fsync; resolves once committed.
   */
  batchInCommit<T>(work: (writer: OutboxWriter, now: number) => T): Promise<T>;
  /** Deletes up to `limit` events delivered before `beforeMs`, with their attempts. */
  pruneDelivered(beforeMs: number, limit: number): Promise<number>;
  /**
   * Run once at start: ends the leases not held by `owner` — a previous process's (their events are due at once) —
   * and unparks heads an interrupted process may have left parked.
   */
  recover(owner: string): Promise<{ leases: number; parked: number }>;
  /** Highest event row id committed so far (cheap; used to notice new events after a commit). */
  maxRowId(): number;
}
