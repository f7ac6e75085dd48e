import type { Sql } from '../pg-pool.ts';

/**
 * Writing callback events inside the write transaction of the change they report.
 *
 * **Per-key order across nodes.** `write_events_many` takes, for each key, the transaction-scoped
 * advisory lock of the event's (app, ordering key) — lock 4 of the global order (`message-sql.ts`; a write with
 * several events takes them in key order) — and then, in a fresh snapshot, says whether the key already has a pending
 * event. Writers of one key therefore insert one at a time: ids of a key's events follow commit order (so the lowest
 * pending id is the oldest, the head), and only a writer that finds no pending event may lease its event at once.
 */
export const outboxInsertSql = {
  /**
   * (key apps[], keys[] sorted by `app:key`, event apps[], key index (1-based)[], event ids[], commands[], bodies[],
   * client ips[], platforms[], lease owners[] (null: none offered), lease ends[], now, then per sync entry: write
   * index[], app[], user[], kind[], msg id[], data[], counts peer[], then a carried delivery batch's settle arrays
   * (`settleSql.settleBatch`'s, without its time; empty when none)): one call of `write_events_many` (migration 0009)
   * — the keys' locks (lock 4), the events in order, the sync entries of users with a log (lock 5). Rows: ('settle',
   * null, settled, unparked) per settle, ('event', event id, leased, row id) per event, then ('sync', null, true, write
   * index) per entry appended.
   */
  writeEventsMany: {
    name: 'rw_outbox_write_events_many',
    text: `SELECT * FROM write_events_many($1::bigint[], $2::text[], $3::bigint[], $4::integer[], $5::text[],
      $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint, $13::integer[],
      $14::bigint[], $15::text[], $16::text[], $17::bigint[], $18::text[], $19::text[], $20::bigint[], $21::text[],
      $22::integer[], $23::text[], $24::bigint[], $25::text[], $26::bigint[], $27::text[], $28::bigint[], $29::text[],
      $30::integer[], $31::float8[], $32::bigint[], $33::text[])`,
  },
} satisfies Record<string, Sql>;
