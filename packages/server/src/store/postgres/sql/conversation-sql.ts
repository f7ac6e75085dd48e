import type { Sql } from '../pg-pool.ts';

/**
 * Read reports. `conversations.unread` always equals the number of stored, counting, not recalled messages from peer
 * to owner with `id > read_upto_id AND msg_time > read_time`.
 *
 * **Locks.** Each report of a `read_reports` call (migration 0009) locks the reporter's conversation row first
 * (creating it if missing), then reads the inbox head and recounts in later statements — fresh snapshots taken after
 * the lock, so every send into the conversation has either committed (and is seen) or is waiting for the row (and
 * will apply the new watermark) — then updates that row and, when the count moved, the reporter's account row: locks 2
 * then 3 of the global order (`message-sql.ts`). Reports of one call run in the order given.
 */
export const conversationSql = {
  /**
   * (apps[], owners[], peers[], readTimes[] (null: none), now): the reports, in order (`read_reports`). One row per
   * report: `o_status` (`ok`; `from`: no such reporter; `to`: no such peer — nothing written but a new conversation
   * row: roll back), the new `LastReadTime`, the conversation's unread, the reporter's total and whether the
   * watermark moved.
   */
  reports: {
    name: 'rw_conv_read_reports',
    text: `SELECT * FROM read_reports($1::bigint[], $2::text[], $3::text[], $5, $4::bigint[])`,
  },
} satisfies Record<string, Sql>;
