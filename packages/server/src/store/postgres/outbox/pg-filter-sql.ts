import { createHash } from 'node:crypto';
import type { Sql } from '../pg-pool.ts';

/** One optional condition of a listing: SQL with `{p}` for its parameter (or none), unset when `value` is undefined. */
export interface PgCondition {
  sql: string;
  value: unknown;
  /** The SQL carries the value itself (a literal from a closed set, e.g. a state), so it binds nothing. */
  literal?: boolean;
}

/**
 * Builds a statement from a template whose `{where}` receives the conditions that are set, numbering their
 * parameters after `fixed`; each combination becomes its own named (prepared) statement, so each can use the index
 * that fits its filters.
 */
export function filtered(
  prefix: string,
  template: string,
  fixed: unknown[],
  conditions: PgCondition[],
): { sql: Sql; values: unknown[] } {
  const values = [...fixed];
  let where = '';
  for (const c of conditions) {
    if (c.value === undefined) continue;
    if (c.literal) {
      where += ` AND ${c.sql}`;
      continue;
    }
    values.push(c.value);
    where += ` AND ${c.sql.replace('{p}', `$${values.length}`)}`;
  }
  const text = template.replace('{where}', where);
  const name = `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  return { sql: { name, text }, values };
}
