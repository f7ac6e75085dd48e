import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/store.ts';
import type { SyncEvent } from '../store/sync-event.ts';
import { pushFrame } from './client-frames.ts';
import { syncEventFrame } from './push-frames.ts';

/** What the hub needs of a logged-in device. `cursor`/`live` are the hub's bookkeeping, kept on the session. */
export interface HubSession {
  readonly appId: number;
  readonly userId: string;
  /** Last sync-log seq sent to this device. */
  cursor: number;
  /** True once the device has caught up: new entries are then routed to it as they commit. */
  live: boolean;
  readonly isOpen: boolean;
  /** Bytes queued for the device. */
  readonly bufferedAmount: number;
  /** The device's `OptPlatform`. */
  readonly platform?: string;
  /** Ends the session because its account was kicked. */
  kick?(): void;
  /** Sends a frame (closing the device as a slow consumer if it is too far behind); false once closed. */
  push(frame: string, seq?: number): boolean;
  /** Closes the device's connection (it then `leave`s the hub). */
  close(code: number, reason: string): void;
}

/** Where a device starts: after `cursor`, or (resync) at the log's end because its cursor cannot be resumed. */
export interface ResumePlan {
  cursor: number;
  resync: boolean;
}

const NO_DEVICES: ReadonlySet<HubSession> = new Set();

/** Entries read per page, both when tailing the log and when replaying to a device. */
const PAGE = 256;
/** How often a replay waiting for a device to read its queue checks again. */
const DRAIN_POLL_MS = 5;

/**
 * Routes the sync log to connected devices. After every commit it reads the entries written since the last read
 * (the *tail*, in log order) and pushes each to the live devices of its user. A device that logs in with a cursor
 * first *replays* its user's entries after the cursor from the log, paced by how fast it reads, and only then goes
 * live; while it replays, the tail skips it, and entries at or below its cursor are never sent twice. So every device
 * sees its user's entries exactly once, in order, across reconnects.
 *
 * While no device is logged in, a commit costs nothing: the tail is only marked *stale* (behind the log's end) and
 * read again when a device logs in (`plan`), so that routing resumes from the log's end rather than walking what
 * nobody was there to receive. Even a stale tail never sends an entry twice: routing skips entries at or below a
 * device's cursor.
 */
export class SyncHub {
  private readonly users = new Map<string, Set<HubSession>>();
  private readonly watchers: { join(session: HubSession): void; leave(session: HubSession): void }[] = [];
  private tail = 0;
  /** Commits happened while no device was logged in: the tail may be behind the log's end. */
  private stale = false;
  /** The read that moves a stale tail to the log's end, while it is under way. */
  private refreshing: Promise<void> | undefined;
  private draining = false;
  private again = false;
  private stopped = false;
  private readonly store: Pick<Store, 'readSyncEvents'>;
  private readonly options: { maxReplayEvents: number; maxBufferedBytes: number; onError: (e: unknown) => void };

  constructor(store: Pick<Store, 'readSyncEvents'>, options: SyncHub['options']) {
    this.store = store;
    this.options = options;
  }

  /** Starts at the log's current end. */
  async start(): Promise<void> {
    this.tail = (await this.store.readSyncEvents({ after: 0, limit: 0 })).head;
  }

  /** Stops routing; sessions are closed by their transport. */
  stop(): void {
    this.stopped = true;
    this.users.clear();
  }

  /** Number of logged-in devices. */
  get size(): number {
    let n = 0;
    for (const set of this.users.values()) n += set.size;
    return n;
  }

  /** Decides where a device logging in starts: a resumable cursor, or the log's end (first login or resync). */
  async plan(appId: number, userId: string, cursor: number | undefined): Promise<ResumePlan> {
    const tail = await this.currentTail();
    if (cursor === undefined) return { cursor: tail, resync: false };
    const page = await this.store.readSyncEvents({ appId, userId, after: cursor, limit: 0 });
    if (cursor < page.horizon || cursor > page.head) return { cursor: this.tail, resync: true };
    return { cursor, resync: false };
  }

  /**
   * The tail, first moved to the log's end if commits went unread while nobody was logged in. Logins that ask while
   * that read is under way wait for the same read.
   */
  private async currentTail(): Promise<number> {
    if (this.stale) {
      this.stale = false;
      this.refreshing = this.store.readSyncEvents({ after: 0, limit: 0 }).then(
        (page) => {
          this.tail = Math.max(this.tail, page.head);
          this.refreshing = undefined;
        },
        (error: unknown) => {
          this.stale = true;
          this.refreshing = undefined;
          throw error;
        },
      );
    }
    if (this.refreshing) await this.refreshing;
    return this.tail;
  }

  /** Calls `watcher.join` when a device logs in and `watcher.leave` when it goes (e.g. to share presence). */
  watch(watcher: { join(session: HubSession): void; leave(session: HubSession): void }): void {
    this.watchers.push(watcher);
  }

  /** Registers a logged-in device at a plan's cursor (not live yet), then replays what it missed. */
  join(session: HubSession, plan: ResumePlan): void {
    session.cursor = plan.cursor;
    session.live = false;
    const key = `${session.appId}\n${session.userId}`;
    let set = this.users.get(key);
    if (!set) this.users.set(key, (set = new Set()));
    set.add(session);
    for (const w of this.watchers) w.join(session);
    void this.replay(session).catch(this.options.onError);
  }

  /** A user's logged-in devices, oldest login first. */
  devicesOf(appId: number, userId: string): ReadonlySet<HubSession> {
    return this.users.get(`${appId}\n${userId}`) ?? NO_DEVICES;
  }

  /** Forgets a device (on close). */
  leave(session: HubSession): void {
    const key = `${session.appId}\n${session.userId}`;
    const set = this.users.get(key);
    if (!set?.delete(session)) return;
    if (set.size === 0) this.users.delete(key);
    for (const w of this.watchers) w.leave(session);
  }

  /** The platforms of a user's logged-in devices on this server. */
  devices(appId: number, userId: string): string[] {
    const set = this.users.get(`${appId}\n${userId}`);
    return set ? [...set].map((s) => s.platform ?? 'Unknown') : [];
  }

  /** Pushes a frame that is not in the log (an online-only message) to a user's devices. */
  pushToUser(appId: number, userId: string, frame: (viewer: string) => string): void {
    const set = this.users.get(`${appId}\n${userId}`);
    if (!set) return;
    const text = frame(userId);
    for (const s of set) s.push(text);
  }

  /** Called after every commit: routes the new entries (coalesced while a read is under way). */
  notify(): void {
    if (this.stopped) return;
    if (this.users.size === 0 && !this.draining) {
      this.stale = true;
      return;
    }
    if (this.draining) {
      this.again = true;
      return;
    }
    void this.drain().catch(this.options.onError);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const limit = this.users.size === 0 ? 0 : PAGE;
          const page = await this.store.readSyncEvents({ after: this.tail, limit });
          if (this.stopped) return;
          for (const e of page.events) {
            this.route(e);
            this.tail = e.seq;
          }
          if (page.events.length === PAGE) continue;
          // Nothing to route above the page (or nobody to route to): jump to the head, unless a device joined while
          // this read was under way, in which case read again so it gets what lies between.
          if (limit === 0 && this.users.size > 0) continue;
          this.tail = Math.max(this.tail, page.head);
          break;
        }
      } while (this.again);
    } finally {
      this.draining = false;
    }
  }

  private route(e: SyncEvent): void {
    const set = this.users.get(`${e.appId}\n${e.userId}`);
    if (!set) return;
    let frame: string | undefined;
    for (const s of set) {
      if (!s.live || e.seq <= s.cursor) continue;
      frame ??= syncEventFrame(e);
      s.push(frame, e.seq);
      if (e.kind === 'kick') s.kick?.();
    }
  }

  /**
   * Sends a device its user's entries after its cursor, waiting whenever it has half its buffer queued, until it
   * has seen everything up to the tail; then marks it live and pushes `synced`. A device more than
   * `maxReplayEvents` behind gets `resync` instead and starts from the tail.
   */
  private async replay(s: HubSession): Promise<void> {
    let sent = 0;
    for (;;) {
      const page = await this.store.readSyncEvents({ appId: s.appId, userId: s.userId, after: s.cursor, limit: PAGE });
      if (!s.isOpen || this.stopped) return;
      if (sent + page.events.length > this.options.maxReplayEvents) {
        s.cursor = await this.currentTail();
        if (!s.push(pushFrame('resync', { cursor: String(s.cursor) }))) return;
        sent = 0;
        continue;
      }
      for (const e of page.events) {
        while (s.bufferedAmount > this.options.maxBufferedBytes / 2) {
          await sleep(DRAIN_POLL_MS);
          if (!s.isOpen || this.stopped) return;
        }
        if (e.seq > s.cursor && !s.push(syncEventFrame(e), e.seq)) return;
        sent++;
      }
      if (page.events.length < PAGE && page.head >= this.tail) {
        s.live = true;
        s.push(pushFrame('synced', { cursor: String(s.cursor) }));
        return;
      }
    }
  }
}
