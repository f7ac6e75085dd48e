import type { ClaimedEvent, PendingSettle, WriteSet } from './outbox.ts';

/**
 * Delivery writes collected between outbox batches: attempt results, events to hand back, apps whose retries should
 * be due now. A batch `take`s them all (as a plain-data `WriteSet`); if the batch fails they are `restore`d for the
 * next one, so no result is lost to a transient error.
 */
export class PendingWrites {
  private settles: PendingSettle[] = [];
  private releases: ClaimedEvent[] = [];
  private readonly expedite = new Set<number>();

  /** An attempt ended: record it and move its event on. */
  settle(s: PendingSettle): void {
    this.settles.push(s);
  }

  /** A claimed event was not sent: hand it back. */
  release(event: ClaimedEvent): void {
    this.releases.push(event);
  }

  /** The app's endpoint recovered: make its waiting retries due now. */
  expediteApp(appId: number): void {
    this.expedite.add(appId);
  }

  /** Nothing is waiting to be written. */
  get empty(): boolean {
    return this.settles.length === 0 && this.releases.length === 0 && this.expedite.size === 0;
  }

  /** What is pending may make events due now (a release, an expedite, an attempt that did not deliver). */
  get wantsClaim(): boolean {
    return (
      this.releases.length > 0 || this.expedite.size > 0 || this.settles.some((s) => s.outcome.kind !== 'delivered')
    );
  }

  /** Takes everything pending. */
  take(): WriteSet {
    const set = { settles: this.settles, releases: this.releases, expedite: [...this.expedite] };
    this.settles = [];
    this.releases = [];
    this.expedite.clear();
    return set;
  }

  /** Puts back what a failed batch took, ahead of what arrived since. */
  restore(set: WriteSet): void {
    this.settles.unshift(...set.settles);
    this.releases.unshift(...set.releases);
    for (const a of set.expedite) this.expedite.add(a);
  }
}
