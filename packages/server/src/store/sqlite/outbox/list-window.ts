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
 */
export function listWindow(before: number | undefined, maxId: number, size: number): ListWindow {
  const top = Math.min(before ?? maxId + 1, maxId + 1);
  const floor = top - size > 1 ? top - size : 0;
  return { before: top, floor };
}
