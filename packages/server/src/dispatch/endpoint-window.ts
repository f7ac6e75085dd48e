/** Length of the rolling window of `EndpointWindow`, in seconds. */
export const WINDOW_SECONDS = 300;
const SLOT_SECONDS = 10;
const SLOTS = WINDOW_SECONDS / SLOT_SECONDS;
/** Latency bins: bin `i` holds latencies up to `2^(i/4)` ms (about 19% apart), the last one everything above. */
const BINS = 80;

function binOf(ms: number): number {
  if (ms <= 1) return 0;
  return Math.min(BINS - 1, Math.ceil(Math.log2(ms) * 4));
}

const upperOf = (bin: number): number => Math.round(2 ** (bin / 4));

interface Slot {
  /** Start of the slot (Unix seconds, a multiple of `SLOT_SECONDS`). */
  start: number;
  attempts: number;
  delivered: number;
  failed: number;
  bins: Uint32Array;
}

/** An endpoint's attempts over the last `WINDOW_SECONDS`, as `readwire_callback/endpoint_stats` answers them. */
export interface WindowFigures {
  attempts: number;
  delivered: number;
  failed: number;
  /** Delivered / (delivered + failed); null without such attempts. */
  successRate: number | null;
  /** Approximate (the upper bound of a bin about 19% wide); null without attempts. */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

/**
 * The attempts of one app at one endpoint over the last five minutes: thirty ten-second slots, each with counts and
 * a logarithmic latency histogram, so recording an attempt is a few increments and memory stays fixed.
 */
export class EndpointWindow {
  private readonly slots: Slot[] = [];
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Records one attempt that ran (aborted attempts are not recorded). */
  record(ok: boolean, latencyMs: number): void {
    const slot = this.current();
    slot.attempts++;
    if (ok) slot.delivered++;
    else slot.failed++;
    slot.bins[binOf(latencyMs)]!++;
  }

  /** The figures of the window ending now. */
  figures(): WindowFigures {
    const since = Math.floor(this.now() / 1000) - WINDOW_SECONDS;
    const bins = new Uint32Array(BINS);
    let attempts = 0;
    let delivered = 0;
    let failed = 0;
    for (const s of this.slots) {
      if (s.start + SLOT_SECONDS <= since) continue;
      attempts += s.attempts;
      delivered += s.delivered;
      failed += s.failed;
      for (let i = 0; i < BINS; i++) bins[i]! += s.bins[i]!;
    }
    const settled = delivered + failed;
    return {
      attempts,
      delivered,
      failed,
      successRate: settled === 0 ? null : delivered / settled,
      latencyP50Ms: quantile(bins, attempts, 0.5),
      latencyP99Ms: quantile(bins, attempts, 0.99),
    };
  }

  private current(): Slot {
    const start = Math.floor(this.now() / 1000 / SLOT_SECONDS) * SLOT_SECONDS;
    const last = this.slots.at(-1);
    if (last?.start === start) return last;
    const slot = { start, attempts: 0, delivered: 0, failed: 0, bins: new Uint32Array(BINS) };
    this.slots.push(slot);
    if (this.slots.length > SLOTS) this.slots.shift();
    return slot;
  }
}

function quantile(bins: Uint32Array, total: number, q: number): number | null {
  if (total === 0) return null;
  const rank = Math.ceil(total * q);
  let seen = 0;
  for (let i = 0; i < BINS; i++) {
    seen += bins[i]!;
    if (seen >= rank) return upperOf(i);
  }
  return upperOf(BINS - 1);
}
