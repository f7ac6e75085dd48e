import assert from 'node:assert/strict';
import type { PostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import { freshPgStore } from '../../helpers/pg-test-db.ts';

/** `count` PostgreSQL stores on one fresh schema, as `count` nodes of one deployment; `cleanup` drops the schema. */
export async function openPgNodes(
  count: number,
  poolSize = 4,
): Promise<{ nodes: PostgresStore[]; cleanup: () => Promise<void> }> {
  const first = await freshPgStore({ poolSize });
  const others = await Promise.all(
    Array.from({ length: count - 1 }, () => freshPgStore({ poolSize, schema: first.schema })),
  );
  return {
    nodes: [first.store, ...others.map((o) => o.store)],
    cleanup: async () => {
      for (const o of others) await o.store.close();
      await first.cleanup();
    },
  };
}

/**
 * Asserts the app's counts are exact: every conversation's unread count equals a recount of its messages and is not
 * negative, and every account's total equals the sum of its conversations and is not negative.
 */
export async function assertExactCounts(store: PostgresStore, app: number): Promise<void> {
  const conversations = await store.inspect(
    `SELECT c.owner, c.peer, c.unread, (SELECT count(*) FROM messages m WHERE m.app_id = c.app_id
       AND m.to_account = c.owner AND m.from_account = c.peer AND m.counts_unread = 1 AND m.recalled = 0
       AND m.id > c.read_upto_id AND m.msg_time > c.read_time) AS recount
     FROM conversations c WHERE c.app_id = ${app}`,
  );
  assert.deepEqual(
    conversations.filter((r) => r.unread !== r.recount || (r.unread as number) < 0),
    [],
    'every conversation count equals its recount',
  );
  const totals = await store.inspect(
    `SELECT a.user_id, a.unread_total, (SELECT coalesce(sum(unread), 0)::bigint FROM conversations c
       WHERE c.app_id = a.app_id AND c.owner = a.user_id) AS sum FROM accounts a WHERE a.app_id = ${app}`,
  );
  assert.deepEqual(
    totals.filter((r) => r.unread_total !== r.sum || (r.unread_total as number) < 0),
    [],
    'every total equals the sum of its conversations',
  );
}
