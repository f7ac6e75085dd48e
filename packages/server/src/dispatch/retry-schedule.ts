import type { CallbackConfig } from '../config/config-schema.ts';

/**
 * Seconds to wait after each failed attempt before the next one. The first attempt goes at once, so the attempts
 * happen at about 0 s, 1 s, 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h and 6 h after the preceding failure: ten
 * attempts over about 10.6 hours, then the event is dead (kept until replayed).
 */
export const DEFAULT_RETRY_DELAYS_S: readonly number[] = [1, 5, 30, 120, 600, 1800, 3600, 10_800, 21_600];

/** Longest wait a `Retry-After` answer can impose. */
export const MAX_RETRY_AFTER_MS = 6 * 3600 * 1000;

/** The retry delays (seconds) of an app's callback config: `"none"` is Tencent's single attempt. */
export function retryDelaysS(retry: CallbackConfig['retry']): readonly number[] {
  if (retry === 'none') return [];
  return retry ?? DEFAULT_RETRY_DELAYS_S;
}

/**
 * Milliseconds until the next attempt after failed attempt number `failed` (1-based, counted since creation or
 * the last replay), spread by ±`jitter` so that endpoints recovering from an outage are not hit in lockstep; at
 * least `retryAfterMs` when the receiver asked for it. `undefined` when the schedule is exhausted (the event dies).
 */
export function nextRetryDelayMs(
  delaysS: readonly number[],
  failed: number,
  jitter: number,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number | undefined {
  const base = delaysS[failed - 1];
  if (base === undefined) return undefined;
  const spread = 1 + jitter * (2 * random() - 1);
  return Math.max(Math.round(base * 1000 * spread), Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}
