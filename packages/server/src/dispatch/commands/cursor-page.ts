import type { Listing } from '../outbox-admin.ts';

/**
 * One page of a newest-first listing fetched with `limit + 1` rows: the first `limit` rows, `Complete: 1` when there
 * is nothing after them, else `Complete: 0` and the `NextCursor` to pass as `Cursor`: the last row's id, or — when
 * the store's scan window ended first (fewer rows than asked, maybe none) — the lowest id it examined.
 */
export function cursorPage<T>(
  listing: Listing<T>,
  limit: number,
  idOf: (row: T) => number,
): { page: T[]; Complete: 0 | 1; NextCursor: number } {
  const page = listing.rows.slice(0, limit);
  if (listing.rows.length > limit) return { page, Complete: 0, NextCursor: idOf(page.at(-1)!) };
  if (listing.scannedDownTo !== undefined) return { page, Complete: 0, NextCursor: listing.scannedDownTo };
  return { page, Complete: 1, NextCursor: 0 };
}
