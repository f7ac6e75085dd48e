import { msgIdOf } from '../core/msg-id.ts';
import type { CallbackAttemptOutcome, CoreEventMap, CoreEvents } from '../core/core-events.ts';

/** One second of an app's activity on this node, as the live stream's `tick` frame carries it. */
export interface ActivityTick {
  /** Start of the second (Unix ms). */
  T: number;
  Reports: number;
  Sends: number;
  Recalls: number;
  Delivered: number;
  Failed: number;
  Retrying: number;
  Dead: number;
  /** Latency of that second's callback attempts (null without attempts). */
  LatencyP50Ms: number | null;
  LatencyP99Ms: number | null;
  /** Items of that second this stream did not get (over its per-second budget). */
  Dropped: number;
}

/** One thing that happened, as the live stream's `item` frame carries it. */
export type ActivityItem = { Kind: 'report' | 'send' | 'recall' | 'callback'; T: number } & Record<string, unknown>;

/** A subscriber of one app's activity (one live stream). */
export interface ActivitySubscriber {
  appId: number;
  /** An item, within the subscriber's per-second budget. */
  item(item: ActivityItem): void;
  /** The second that just ended. */
  tick(tick: ActivityTick): void;
}

/** Latencies kept per app and second for the percentiles (a uniform sample beyond this). */
const LATENCY_SAMPLE = 512;

class AppSecond {
  reports = 0;
  sends = 0;
  recalls = 0;
  delivered = 0;
  failed = 0;
  retrying = 0;
  dead = 0;
  attempts = 0;
  latencies: number[] = [];

  latency(ms: number): void {
    this.attempts++;
    if (this.latencies.length < LATENCY_SAMPLE) this.latencies.push(ms);
    else {
      const i = Math.floor(Math.random() * this.attempts);
      if (i < LATENCY_SAMPLE) this.latencies[i] = ms;
    }
  }
}

interface Sub {
  s: ActivitySubscriber;
  sent: number;
  dropped: number;
}

/**
 * The console's in-process activity bus: it listens to the core events of this node (read reports from REST and the
 * client gateway, sends, recalls, callback attempts) only while someone watches, counts them per app and second, and
 * hands each watcher at most `itemsPerSecond` items per second (the rest are counted as dropped), plus one `tick` per
 * second with the counts and the callback latency percentiles. An event nobody watches costs one map lookup; a
 * watched one a few increments, and a serialised item only within the budget, so the stream stays cheap however fast
 * events come.
 */
export class ActivityBus {
  private readonly events: CoreEvents;
  private readonly itemsPerSecond: number;
  private readonly subs = new Map<number, Set<Sub>>();
  private readonly seconds = new Map<number, AppSecond>();
  private timer: NodeJS.Timeout | undefined;
  private listening = false;

  constructor(events: CoreEvents, itemsPerSecond: number) {
    this.events = events;
    this.itemsPerSecond = itemsPerSecond;
  }

  /** Starts sending to `s`; returns the function that stops it. */
  subscribe(s: ActivitySubscriber): () => void {
    const sub: Sub = { s, sent: 0, dropped: 0 };
    let set = this.subs.get(s.appId);
    if (!set) {
      set = new Set();
      this.subs.set(s.appId, set);
      this.seconds.set(s.appId, new AppSecond());
    }
    set.add(sub);
    this.listen(true);
    return () => {
      set.delete(sub);
      if (set.size === 0 && this.subs.get(s.appId) === set) {
        this.subs.delete(s.appId);
        this.seconds.delete(s.appId);
      }
      if (this.subs.size === 0) this.listen(false);
    };
  }

  /** Subscribers now. */
  get size(): number {
    let n = 0;
    for (const set of this.subs.values()) n += set.size;
    return n;
  }

  private listen(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) {
      this.events.on('read', this.onRead);
      this.events.on('message', this.onMessage);
      this.events.on('withdraw', this.onWithdraw);
      this.events.on('attempt', this.onAttempt);
      this.timer = setInterval(this.flush, 1000);
      this.timer.unref();
    } else {
      this.events.off('read', this.onRead);
      this.events.off('message', this.onMessage);
      this.events.off('withdraw', this.onWithdraw);
      this.events.off('attempt', this.onAttempt);
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Offers an item to every subscriber of the app, within each one's budget (built only if someone takes it). */
  private offer(appId: number, build: () => ActivityItem): void {
    const set = this.subs.get(appId);
    if (!set) return;
    let item: ActivityItem | undefined;
    for (const sub of set) {
      if (sub.sent >= this.itemsPerSecond) {
        sub.dropped++;
        continue;
      }
      sub.sent++;
      sub.s.item((item ??= build()));
    }
  }

  private readonly onRead = (e: CoreEventMap['read'][0]): void => {
    const second = this.seconds.get(e.appId);
    if (!second) return;
    second.reports++;
    const r = e.result;
    this.offer(e.appId, () => ({
      Kind: 'report',
      T: Date.now(),
      Report_Account: r.reporter,
      Peer_Account: r.peer,
      UnreadMsgNum: r.unreadTotal,
      LastReadTime: r.lastReadTime,
      OptPlatform: e.origin.optPlatform,
    }));
  };

  private readonly onMessage = (e: CoreEventMap['message'][0]): void => {
    const second = this.seconds.get(e.appId);
    if (!second) return;
    for (const r of e.results) {
      if (r.duplicate) continue;
      second.sends++;
      const m = r.message;
      this.offer(e.appId, () => ({
        Kind: 'send',
        T: Date.now(),
        From_Account: m.from,
        To_Account: m.to,
        MsgKey: m.msgKey,
        MsgId: msgIdOf(m.msgKey),
        MsgTime: m.msgTime,
      }));
    }
  };

  private readonly onWithdraw = (e: CoreEventMap['withdraw'][0]): void => {
    const second = this.seconds.get(e.appId);
    if (!second || e.result.alreadyRecalled) return;
    second.recalls++;
    const m = e.result.message;
    this.offer(e.appId, () => ({
      Kind: 'recall',
      T: Date.now(),
      From_Account: m.from,
      To_Account: m.to,
      MsgKey: m.msgKey,
      MsgId: msgIdOf(m.msgKey),
    }));
  };

  private readonly onAttempt = (a: CallbackAttemptOutcome): void => {
    const second = this.seconds.get(a.appId);
    if (!second || a.outcome === 'aborted') return;
    if (a.outcome === 'delivered') second.delivered++;
    else {
      second.failed++;
      if (a.outcome === 'retry') second.retrying++;
      else second.dead++;
    }
    second.latency(a.latencyMs);
    this.offer(a.appId, () => ({
      Kind: 'callback',
      T: Date.now(),
      EventId: a.eventId,
      Command: a.command,
      Account: a.account,
      Attempt: a.attempt,
      Outcome: a.outcome,
      Status: a.status ?? null,
      LatencyMs: Math.round(a.latencyMs),
    }));
  };

  /** Ends the second: one tick per subscriber, then fresh counts and budgets. */
  private readonly flush = (): void => {
    const t = Date.now() - 1000;
    for (const [appId, set] of this.subs) {
      const c = this.seconds.get(appId)!;
      this.seconds.set(appId, new AppSecond());
      const sorted = c.latencies.sort((x, y) => x - y);
      const pick = (q: number) =>
        sorted.length === 0 ? null : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!);
      const base = {
        T: t,
        Reports: c.reports,
        Sends: c.sends,
        Recalls: c.recalls,
        Delivered: c.delivered,
        Failed: c.failed,
        Retrying: c.retrying,
        Dead: c.dead,
        LatencyP50Ms: pick(0.5),
        LatencyP99Ms: pick(0.99),
      };
      for (const sub of set) {
        sub.s.tick({ ...base, Dropped: sub.dropped });
        sub.sent = 0;
        sub.dropped = 0;
      }
    }
  };

  /** Stops listening and drops every subscriber (the server stops). */
  stop(): void {
    this.subs.clear();
    this.seconds.clear();
    this.listen(false);
  }
}
