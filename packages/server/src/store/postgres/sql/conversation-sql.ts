import type { Sql } from '../pg-pool.ts';

/**
 * Read reports. `conversations.unread` always equals the number of stored, counting, not recalled messages from peer
 * to owner with `id > read_upto_id AND msg_time > read_time`.
 *
 * **Locks.** A report is one call of `read_report` (migration 0006): it locks the reporter's conversation row first
 * (creating it if missing), then reads the inbox head and recounts in later statements of the same call — fresh
 * snapshots taken after the lock, so every send into the conversation has either committed (and is seen) or is
 * waiting for the row (and will apply the new watermark) — then updates that row and, when the count moved, the
 * reporter's account row: locks 2 then 3 of the global order (`message-sql.ts`).
 */
export const conversationSql = {
  /**
   * (app, owner, peer, now, readTime or null): the whole report (`read_report`, migration 0006). Returns `o_status`
   * (`ok`; `from`: no such reporter; `to`: no such peer — nothing written but a new conversation row: roll back), the
   * new `LastReadTime`, the conversation's unread, the reporter's total and whether the watermark moved.
   */
  report: {
    name: 'rw_conv_read_report',
    text: `SELECT * FROM read_report($1, $2, $3, $4, $5)`,
  },
} satisfies Record<string, Sql>;
