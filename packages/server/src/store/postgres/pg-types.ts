import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

const toNumber = (value: string): number => Number(value);

/**
 * Result parsing for Readwire's columns: `bigint` (ids, times in ms, counts) and `numeric` become JavaScript numbers.
 * Every such value Readwire stores is below 2^53 (ids count up from 1, times are Unix ms), so nothing is rounded.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
    if (oid === INT8 || oid === NUMERIC) return toNumber;
    return pg.types.getTypeParser(oid, format ?? 'text') as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};
