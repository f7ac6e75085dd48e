/** Shortest wait the timer arms (a due event that could not be claimed must not spin the loop). */
export const MIN_TIMER_MS = 5;

/**
 * One timer for the earliest of several deadlines (next retry, breaker probe, safety-net poll): `at` moves it earlier,
 * never later; it fires once and is then free to be armed again.
 */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private when = Number.POSITIVE_INFINITY;
  private stopped = false;
  private readonly fire: () => void;

  constructor(fire: () => void) {
    this.fire = fire;
  }

  /** Fires at `time` (Unix ms, at least `MIN_TIMER_MS` from now) unless already armed earlier. */
  at(time: number): void {
    if (this.stopped) return;
    const when = Math.max(time, Date.now() + MIN_TIMER_MS);
    if (this.timer && this.when <= when) return;
    clearTimeout(this.timer);
    this.when = when;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.when = Number.POSITIVE_INFINITY;
      this.fire();
    }, when - Date.now());
  }

  /** Cancels and never fires again. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
