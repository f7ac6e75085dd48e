import type { NewMessage, SendResult, StoredMessage } from '../../../domain/types.ts';
import { ImError } from '../../../errors/im-error.ts';
import { toStoredMessage } from '../../sqlite/message-row.ts';
import type { MessageRow } from '../../sqlite/sql/message-statements.ts';
import type { PgTx } from '../pg-pool.ts';
import { accountSql } from '../sql/account-sql.ts';
import { messageSql } from '../sql/message-sql.ts';

type PartiesRow = { from_ok: boolean; to_ok: boolean } & Partial<MessageRow> & { id: number | null };

/** Throws the `sendmsg` codes (90008 sender, 90003 recipient) for a parties row. */
export function checkParties(row: { from_ok: boolean; to_ok: boolean } | undefined): void {
  if (!row?.from_ok) throw new ImError('FROM_ACCOUNT_INVALID');
  if (!row.to_ok) throw new ImError('TO_ACCOUNT_INVALID');
}

/**
 * Stores one message to `to` (the id is allocated in the statement unless given; the key is `id_random_time` unless
 * given) and updates the counts, all in one statement (`messageSql.store`). Must run inside the write transaction.
 */
export async function insertMessage(
  tx: PgTx,
  appId: number,
  to: string,
  m: NewMessage,
  msgTime: number,
  nowMs: number,
  given: { id?: number; msgKey?: string } = {},
): Promise<SendResult> {
  const stored: StoredMessage = {
    id: given.id ?? 0,
    msgKey: given.msgKey ?? '',
    from: m.from,
    to,
    msgSeq: m.msgSeq,
    msgRandom: m.msgRandom,
    msgTime,
    body: m.body,
    cloudCustomData: m.cloudCustomData ?? '',
    recalled: false,
    countsUnread: m.countsUnread,
    syncOtherMachine: m.syncOtherMachine,
    readReceipt: false,
  };
  if (m.onlineOnly) {
    // Not stored, never counts (OnlineOnlyFlag = 1). Like SQLite, it takes an id (never stored, never reused).
    if (!given.id) {
      const [row] = await tx.rows<{ id: number }>(messageSql.allocateIds, [1]);
      stored.id = row!.id;
    }
    if (!given.msgKey) stored.msgKey = `${stored.id}_${m.msgRandom}_${msgTime}`;
    const total = await tx.row<{ unread_total: number }>(accountSql.total, [appId, to]);
    return { message: stored, duplicate: false, recipientUnreadTotal: total?.unread_total ?? 0 };
  }
  const row = await tx.row<{ id: number; msg_key: string; total: number | null }>(messageSql.store, [
    appId,
    given.id ?? null,
    given.msgKey ?? null,
    m.from,
    to,
    m.msgSeq,
    m.msgRandom,
    msgTime,
    m.contentCrc,
    JSON.stringify(m.body),
    m.cloudCustomData ?? '',
    m.countsUnread ? 1 : 0,
    m.syncOtherMachine,
    m.lifeTime,
    nowMs,
    m.noLastMsg,
  ]);
  stored.id = row!.id;
  stored.msgKey = row!.msg_key;
  return { message: stored, duplicate: false, recipientUnreadTotal: row!.total ?? 0 };
}

/**
 * The whole `sendmsg` write: existence checks and duplicate suppression (sender, recipient, MsgSeq, MsgRandom and
 * content CRC within the window — under the key's advisory lock, so two nodes receiving the same resend store it
 * once), then the message and its counts.
 */
export async function sendMessageOp(
  tx: PgTx,
  appId: number,
  to: string,
  m: NewMessage,
  dedupWindowSeconds: number,
  msgTime: number,
  nowMs: number,
): Promise<SendResult> {
  if (m.onlineOnly || dedupWindowSeconds <= 0) {
    checkParties(await tx.row<PartiesRow>(messageSql.parties, [appId, m.from, to]));
    return insertMessage(tx, appId, to, m, msgTime, nowMs);
  }
  const row = await tx.row<PartiesRow>(messageSql.partiesAndDuplicate, [
    appId,
    m.from,
    to,
    m.msgRandom,
    m.msgSeq,
    m.contentCrc,
    msgTime - dedupWindowSeconds,
  ]);
  checkParties(row);
  if (row!.id !== null) {
    const total = await tx.row<{ unread_total: number }>(accountSql.total, [appId, to]);
    return {
      message: toStoredMessage(row as MessageRow),
      duplicate: true,
      recipientUnreadTotal: total?.unread_total ?? 0,
    };
  }
  return insertMessage(tx, appId, to, m, msgTime, nowMs);
}
