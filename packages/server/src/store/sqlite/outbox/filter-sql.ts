import type { Database, Statement } from 'better-sqlite3';

/**
 * One optional condition of a listing: its SQL and its value; unset when the value is undefined. `param` names the
 * SQL's parameter; without one the SQL carries the value itself (a literal from a closed set, so that the planner
 * can use a partial index whose `WHERE` names it).
 */
export interface Condition {
  sql: string;
  param?: string;
  value: unknown;
}

/**
 * Builds `WHERE` clauses from the conditions that are set and caches one prepared statement per combination, so
 * each listing uses the index that fits its filters (e.g. `callback_events_account` for an account) instead of one
 * catch-all `(@x IS NULL OR col = @x)` statement that can use none.
 */
export class FilteredStatements {
  private readonly cache = new Map<string, Statement>();
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Runs `template` (its `{where}` replaced by the set conditions) and returns every row. */
  all<T>(template: string, fixed: Record<string, unknown>, conditions: Condition[]): T[] {
    const { stmt, params } = this.bind(template, fixed, conditions);
    return stmt.all(params) as T[];
  }

  /** Like `all`, for an UPDATE or DELETE: returns the number of changed rows. */
  run(template: string, fixed: Record<string, unknown>, conditions: Condition[]): number {
    const { stmt, params } = this.bind(template, fixed, conditions);
    return stmt.run(params).changes;
  }

  private bind(template: string, fixed: Record<string, unknown>, conditions: Condition[]) {
    const set = conditions.filter((c) => c.value !== undefined);
    const where = set.map((c) => `AND ${c.sql}`).join(' ');
    const sql = template.replace('{where}', where);
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    const params: Record<string, unknown> = { ...fixed };
    for (const c of set) if (c.param !== undefined) params[c.param] = c.value;
    return { stmt, params };
  }
}
