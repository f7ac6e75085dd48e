import type { Condition } from './filter-sql.ts';

/** Most ids one page of an index-less listing examines before it answers (with a cursor to go on below them). */
export const LIST_SCAN_WINDOW_IDS = 50_000;

/** The id range one page of a newest-first listing scans: `[floor, before)`. */
export interface ListWindow {
  before: number;
  /** The lowest id examined; 0 when the window reaches the start. */
  floor: number;
}

/**
 * The window of a listing that walks ids downwards from `before` (default: past the highest id): at most `size` ids,
 * so a filter that matches rarely (an account, a command) costs a bounded scan per page instead of a table scan.
 * Without `maxId` an index drives the listing and the window is unbounded.
 */
export function listWindow(before: number | undefined, maxId: (() => number) | undefined, size: number): ListWindow {
  if (!maxId) return { before: before ?? Number.MAX_SAFE_INTEGER, floor: 0 };
  const top = Math.min(before ?? Number.MAX_SAFE_INTEGER, maxId() + 1);
  return { before: top, floor: top - size > 1 ? top - size : 0 };
}

/** The window's lower bound as a listing condition on `column` (unset when the window reaches the start). */
export function floorCondition(w: ListWindow, column: string): Condition {
  return { sql: `${column} >= @floor`, param: 'floor', value: w.floor > 0 ? w.floor : undefined };
}

/** Where a page that found `found` of `limit` rows stopped: the window's floor if it ended first, else undefined. */
export function scannedDownTo(w: ListWindow, found: number, limit: number): number | undefined {
  return w.floor > 0 && found < limit ? w.floor : undefined;
}
