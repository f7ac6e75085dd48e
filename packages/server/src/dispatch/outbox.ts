/**
 * The dispatcher's view of the callback outbox: claim due events and settle attempts, as plain-data batches.
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

/** One attempt's result, to be written by the next outbox batch. */
export interface PendingSettle {
  event: ClaimedEvent;
  outcome: SettleOutcome;
  record: AttemptRecord;
}

/** The delivery writes one batch applies (plain data), in this order. */
export interface WriteSet {
  /** Attempts that ended: record each and move its event on (fenced by lease owner and attempt). */
  settles: PendingSettle[];
  /** Claimed events that were never sent: due again, without using an attempt. */
  releases: ClaimedEvent[];
  /** Apps whose endpoint recovered: their waiting retries become due now. */
  expedite: number[];
}

/** One delivery batch: settle/release/expedite what ended, then claim due heads. */
export interface OutboxBatch {
  /** The lease owner the claims are made for (unique per process start). */
  owner: string;
  writes: WriteSet;
  /** One claim per app, run in this order after the writes. */
  claims: ClaimRequest[];
  /** Wait for the fsync even when the batch runs in a transaction of its own (`syncOutboxWrites`). */
  durable: boolean;
}

/** What one batch did. */
export interface OutboxBatchResult {
  /** One result per `claims` entry, in the same order. */
  claims: ClaimResult[];
  /** Event ids of the settles whose lease had passed to someone else (they changed nothing but the attempt log). */
  lostEventIds: string[];
  /** Highest event row id when the batch ran, in its transaction: every event up to it was seen by its claims. */
  maxRowId: number;
  /** Events the batch's settles made claimable (the next of their ordering key, unparked); a claim has to take them. */
  unparked: number;
}

/** The lease an event may get in the transaction that writes it (see {@link InsertClaims}). */
export interface InsertLease {
  owner: string;
  leaseMs: number;
}

/**
 * Claim at insert: the write that creates a callback event may lease it at once to this process's dispatcher, when
 * the event is the head of its ordering key and the dispatcher has room for it. The event is written already claimed
 * (attempt 1) and handed over after the commit, so it needs no claim of its own: one statement fewer per event and no
 * wait for the next delivery batch. Only a store in the dispatcher's own thread calls this (its calls are synchronous,
 * inside the write transaction); a store that never does simply leaves every event to the claims.
 */
export interface InsertClaims {
  /** A write transaction starts (again): the room taken by an attempt that rolled back is free again. */
  reset(): void;
  /** A lease for one more event of `appId` now, or undefined (no room, callbacks off, stopping). */
  take(appId: number): InsertLease | undefined;
  /** Gives back the room of a lease `take` returned that the write did not use (its event was not a head). */
  untake?(appId: number): void;
  /** After the commit: the events that a committed write leased. */
  adopt(events: ClaimedEvent[]): void;
}

/**
 * The outbox as the dispatcher uses it. Every call takes and returns plain data (structured-clone safe), so the store
 * may live in another thread. Delivery writes and claims are batched by the caller (one `runBatch` at a time);
 * maintenance writes go through the store's group commit.
 */
export interface Outbox {
  /**
   * Runs one delivery batch in one write transaction: the writes, then the claims, then reads the highest event row
   * id. If the store's group commit has writes queued, the batch runs inside that next commit, after them (it shares
   * their transaction and fsync and claims the events they write). Otherwise it runs at once in a transaction of its
   * own, which — unless `durable` — does not wait for an fsync: the writes are in the OS cache at once (a crash of
   * the process loses nothing) and on disk with the next fully synced commit; a power loss can lose only these
   * delivery writes, whose events are then sent again — never a reported change or its event. Rejects when the
   * transaction failed: nothing of the batch was written.
   */
  runBatch(batch: OutboxBatch): Promise<OutboxBatchResult>;
  /** Deletes up to `limit` events delivered before `beforeMs`, with their attempts. */
  pruneDelivered(beforeMs: number, limit: number): Promise<number>;
  /**
   * Run once at start: ends the leases not held by `owner` — a previous process's (their events are due at once) —
   * and unparks heads an interrupted process may have left parked.
   */
  recover(owner: string): Promise<{ leases: number; parked: number }>;
  /** Highest event row id committed so far. */
  maxRowId(): Promise<number>;
}
