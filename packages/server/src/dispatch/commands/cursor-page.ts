/**
 * One page of a newest-first listing fetched with `limit + 1` rows: the first `limit` rows, `Complete: 1` when there
 * is nothing after them, else `Complete: 0` and the `NextCursor` to pass as `Cursor` (the last row's id).
 */
export function cursorPage<T>(
  rows: T[],
  limit: number,
  idOf: (row: T) => number,
): { page: T[]; Complete: 0 | 1; NextCursor: number } {
  const page = rows.slice(0, limit);
  const complete = rows.length <= limit;
  return { page, Complete: complete ? 1 : 0, NextCursor: complete ? 0 : idOf(page.at(-1)!) };
}
