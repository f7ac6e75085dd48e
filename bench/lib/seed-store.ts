import { statSync } from 'node:fs';
import { openSqlite } from '../../packages/server/src/store/sqlite/open-sqlite.ts';

/** What {@link seedStore} wrote. */
export interface SeedResult {
  messages: number;
  conversations: number;
  unreadTotal: number;
  seconds: number;
  /** Database file size after a checkpoint, in bytes. */
  bytes: number;
}

/**
 * Fills a new SQLite store (schema from the server's own migrations) with `messages` C2C messages between random
 * pairs of `users`, bulk-inserted straight into `messages`, then derives `conversations` and `accounts.unread_total`
 * from them with SQL, so the counts are exactly what the server would have kept: every message counts as unread
 * (no read reports yet), the sender's side of each pair gets a conversation row with `unread = 0`. Message ids
 * increase with `msg_time`, which spans the week before now.
 *
 * The message indexes are dropped during the insert and rebuilt after it with their original SQL (much faster than
 * maintaining them row by row). Must run before the server opens the file (the server holds an exclusive lock).
 */
export function seedStore(path: string, appId: number, users: string[], messages: number): SeedResult {
  const started = performance.now();
  const db = openSqlite({ path, synchronous: 'OFF' });
  try {
    const nowMs = Date.now();
    const nowS = Math.floor(nowMs / 1000);
    const firstS = nowS - 7 * 86400;
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL`)
      .all() as { name: string; sql: string }[];
    const insertAccount = db.prepare(
      `INSERT INTO accounts (app_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT (app_id, user_id) DO NOTHING`,
    );
    const insertMessage = db.prepare(`INSERT INTO messages (id, app_id, msg_key, from_account, to_account, msg_seq,
      msg_random, msg_time, content_crc, body, cloud_custom_data, counts_unread, sync_other_machine, life_time,
      created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, 1, 604800, ?)`);
    db.transaction(() => {
      for (const u of users) insertAccount.run(appId, u, nowMs);
      for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
      const n = users.length;
      for (let i = 0; i < messages; i++) {
        const id = i + 1;
        const from = users[(Math.random() * n) | 0]!;
        let to = from;
        while (to === from) to = users[(Math.random() * n) | 0]!;
        const time = firstS + Math.floor((i * (nowS - firstS)) / messages);
        const random = (Math.random() * 4294967295) >>> 0;
        const body = `[{"MsgType":"TIMTextElem","MsgContent":{"Text":"seeded message ${id} from ${from}"}}]`;
        insertMessage.run(id, appId, `${id}_${random}_${time}`, from, to, id, random, time, random, body, time * 1000);
      }
      for (const ix of indexes) db.exec(ix.sql);
      db.prepare(
        `INSERT INTO conversations (app_id, owner, peer, unread, last_msg_id, updated_at)
         SELECT app_id, to_account, from_account, sum(counts_unread = 1 AND recalled = 0), max(id), max(created_at)
         FROM messages WHERE app_id = ? GROUP BY app_id, to_account, from_account`,
      ).run(appId);
      db.prepare(
        `INSERT INTO conversations (app_id, owner, peer, unread, last_msg_id, updated_at)
         SELECT app_id, from_account, to_account, 0, max(id), max(created_at)
         FROM messages WHERE app_id = ? GROUP BY app_id, from_account, to_account
         ON CONFLICT (app_id, owner, peer) DO UPDATE SET last_msg_id = max(last_msg_id, excluded.last_msg_id),
           updated_at = max(updated_at, excluded.updated_at)`,
      ).run(appId);
      db.prepare(
        `UPDATE accounts SET unread_total = (SELECT coalesce(sum(c.unread), 0) FROM conversations c
           WHERE c.app_id = accounts.app_id AND c.owner = accounts.user_id) WHERE app_id = ?`,
      ).run(appId);
    })();
    const stored = db.prepare(`SELECT count(*) FROM messages WHERE app_id = ?`).pluck().get(appId) as number;
    const counted = db
      .prepare(`SELECT count(*) FROM messages WHERE app_id = ? AND counts_unread = 1 AND recalled = 0`)
      .pluck()
      .get(appId) as number;
    const unreadTotal = db
      .prepare(`SELECT sum(unread_total) FROM accounts WHERE app_id = ?`)
      .pluck()
      .get(appId) as number;
    const convUnread = db
      .prepare(`SELECT sum(unread) FROM conversations WHERE app_id = ?`)
      .pluck()
      .get(appId) as number;
    if (stored !== messages || unreadTotal !== counted || convUnread !== counted) {
      throw new Error(
        `seeded store is inconsistent: ${stored} messages, ${counted} counting, ${convUnread} in conversations, ${unreadTotal} in accounts`,
      );
    }
    const conversations = db
      .prepare(`SELECT count(*) FROM conversations WHERE app_id = ?`)
      .pluck()
      .get(appId) as number;
    db.pragma('wal_checkpoint(TRUNCATE)');
    return {
      messages,
      conversations,
      unreadTotal,
      seconds: (performance.now() - started) / 1000,
      bytes: statSync(path).size,
    };
  } finally {
    db.close();
  }
}
