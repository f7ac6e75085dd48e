/**
 * Remembers which event ids were handled, so a retried delivery (same `X-Readwire-Event-Id`) runs the
 * handlers once. Implement it over Redis or a database to share it between processes.
 */
export interface DedupeStore {
  /**
   * Claims an event id: `true` if it was not seen (or its claim expired) and is now claimed for `ttlMs`,
   * `false` if it is already claimed.
   */
  claim(eventId: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets a claim, so a redelivery is handled again (called when a handler failed). */
  release(eventId: string): void | Promise<void>;
}

/** Options of {@link createMemoryDedupeStore}. */
export interface MemoryDedupeStoreOptions {
  /** Most ids kept; the oldest are forgotten first. Default 100,000. */
  maxEntries?: number;
  /** Clock in milliseconds; default `Date.now`. */
  now?: () => number;
}

/**
 * An in-process {@link DedupeStore}: a `Map` in claim order, pruned from the oldest end on every claim, so
 * memory stays bounded by `maxEntries` and by the TTL.
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): DedupeStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  const prune = (t: number): void => {
    for (const [id, expiresAt] of expiries) {
      if (expiresAt > t && expiries.size < maxEntries) break;
      expiries.delete(id);
    }
  };
  return {
    claim(eventId, ttlMs) {
      const t = now();
      prune(t);
      const expiresAt = expiries.get(eventId);
      if (expiresAt !== undefined && expiresAt > t) return false;
      expiries.delete(eventId);
      expiries.set(eventId, t + ttlMs);
      return true;
    },
    release(eventId) {
      expiries.delete(eventId);
    },
  };
}
