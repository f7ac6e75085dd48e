import type { EventState } from './outbox.ts';

/** Filters of `readwire_callback/list_events`; newest first, paged by `beforeRowId`. */
export interface EventFilter {
  appId: number;
  /** One event by its id (driven by the event id index). */
  eventId?: string | undefined;
  state?: EventState | undefined;
  command?: string | undefined;
  /** The ordering key: `Report_Account` of read reports, `From_Account` of send and recall callbacks. */
  account?: string | undefined;
  /** Created at or after (Unix ms). */
  minTimeMs?: number | undefined;
  /** Created at or before (Unix ms). */
  maxTimeMs?: number | undefined;
  beforeRowId?: number | undefined;
  limit: number;
}

/** One event as listed. */
export interface EventView {
  rowId: number;
  eventId: string;
  command: string;
  account: string;
  state: EventState;
  attempts: number;
  /** When a pending event is next tried (Unix ms); for an event in flight, when its lease ends. */
  nextAttemptAt: number | undefined;
  /** Pending and claimed by a dispatcher right now. */
  inFlight: boolean;
  /** Pending behind an earlier pending event of the same account. */
  waiting: boolean;
  createdAt: number;
  deliveredAt: number | undefined;
  lastError: string | undefined;
  body: string;
  /** `ClientIP` and `OptPlatform` of the change that wrote the event (query parameters of its callbacks). */
  clientIp: string;
  optPlatform: string;
}

/** Filters of `readwire_callback/list_attempts`; newest first, paged by `beforeId`. */
export interface AttemptFilter {
  appId: number;
  eventId?: string | undefined;
  outcome?: string | undefined;
  command?: string | undefined;
  account?: string | undefined;
  minTimeMs?: number | undefined;
  maxTimeMs?: number | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/** One recorded attempt. */
export interface AttemptView {
  id: number;
  eventId: string;
  command: string;
  account: string;
  attempt: number;
  startedAt: number;
  url: string;
  status: number | undefined;
  latencyMs: number;
  errorCode: number | undefined;
  errorInfo: string | undefined;
  error: string | undefined;
  /** `delivered`, `retry`, `dead` or `aborted` (at shutdown). */
  outcome: string;
}

/** Which dead events `replayDead` sends again. */
export interface ReplayFilter {
  appId: number;
  command?: string | undefined;
  account?: string | undefined;
  minTimeMs?: number | undefined;
  maxTimeMs?: number | undefined;
}

/** Result of replaying one event. */
export interface ReplayOneResult {
  found: boolean;
  /** State before the replay. */
  previousState?: EventState | undefined;
  /** False when the event is in flight or waiting behind an earlier event (it will go anyway). */
  replayed: boolean;
}

/** Queue figures of one app. */
export interface OutboxStats {
  appId: number;
  pending: number;
  dead: number;
  /** Creation time (Unix ms) of the oldest pending event. */
  oldestPendingAt: number | undefined;
}

/** A callback config saved by `set_config` (JSON as stored; `null` = callbacks off). */
export interface SavedCallbackConfig {
  appId: number;
  config: unknown;
  updatedAt: number;
}

/**
 * One page of a listing as the store found it. A listing that no index can drive walks ids downwards and examines at
 * most a window of them per call (so an admin request never holds the event loop for long); when the window ended
 * before `limit` rows matched, `scannedDownTo` is the lowest id it examined: the listing goes on below it.
 */
export interface Listing<T> {
  rows: T[];
  /** Set when the scan window ended before the start of the table: continue with ids below this one. */
  scannedDownTo?: number | undefined;
}

/**
 * Operator-side outbox operations: listing, replay, queue figures and the persisted callback configs. Every call takes
 * and returns plain data and is asynchronous, so the store may live in another thread.
 */
export interface OutboxAdmin {
  listEvents(filter: EventFilter): Promise<Listing<EventView>>;
  /** Undefined when `filter.eventId` names no event of the app. */
  listAttempts(filter: AttemptFilter): Promise<Listing<AttemptView> | undefined>;
  replayEvent(appId: number, eventId: string): Promise<ReplayOneResult>;
  replayDead(filter: ReplayFilter): Promise<number>;
  /** How many dead events `replayDead` would replay now. */
  countDead(filter: ReplayFilter): Promise<number>;
  stats(): Promise<OutboxStats[]>;
  loadConfigs(): Promise<SavedCallbackConfig[]>;
  saveConfig(appId: number, config: unknown): Promise<void>;
}
