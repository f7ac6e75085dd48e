import type { Sql } from './pg-pool.ts';

/**
 * One value as an SQL literal: NULL, a number, a boolean, a quoted string (`quote`), a bytea, an object's JSON, or an
 * ARRAY[...] of those.
 */
function literal(value: unknown, quote: (s: string) => string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot inline the number ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `ARRAY[${value.map((v: unknown) => literal(v, quote)).join(',')}]`;
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'`;
  if (value instanceof Date) throw new TypeError('cannot inline a Date');
  // As node-postgres sends an object parameter: its JSON.
  if (typeof value === 'object') return quote(JSON.stringify(value));
  throw new TypeError(`cannot inline a value of type ${typeof value}`);
}

/**
 * `sql` with its placeholders replaced by the values as literals, for a simple query that carries other statements
 * too (a BEGIN before it, a COMMIT after it: one round trip instead of two or three). Strings are quoted with
 * `quote` (the connection's `escapeLiteral`), so no value can end its literal. Every array placeholder must be cast
 * in `sql` (`$1::text[]`), as an empty ARRAY[] needs a type; `sql` must have no `$` of its own.
 */
export function inlineSql(sql: Sql, values: unknown[], quote: (s: string) => string): string {
  return sql.text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new RangeError(`${sql.name}: no value for $${n}`);
    return literal(values[i], quote);
  });
}
