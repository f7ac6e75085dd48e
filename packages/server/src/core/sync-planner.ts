import type {
  ModifyResult,
  NewMessage,
  ReadReceiptResult,
  ReadResult,
  SendResult,
  WithdrawResult,
} from '../domain/types.ts';
import type { SyncEventInput } from '../store/sync-event.ts';
import { msgIdOf } from './msg-id.ts';

/**
 * Sync-log entries for a stored message: one for the recipient (with their new counts) and, unless the sender is the
 * recipient or SyncOtherMachine is 2, one for the sender's devices (whose counts did not change). Online-only messages
 * are not stored, so not logged (they reach only devices connected at the time).
 */
export function messageSyncEvents(r: SendResult, m: NewMessage): SyncEventInput[] {
  if (r.duplicate || m.onlineOnly) return [];
  const msg = r.message;
  const out: SyncEventInput[] = [{ userId: msg.to, kind: 'message', msgId: msg.id, data: {}, countsPeer: msg.from }];
  if (msg.from !== msg.to && msg.syncOtherMachine !== 2) {
    out.push({ userId: msg.from, kind: 'message', msgId: msg.id, data: {} });
  }
  return out;
}

/**
 * Sync-log entries for a read report that moved the watermark: the reporter's devices learn the new counts (a read
 * on one device clears the badge on the others) and the peer's devices get the read receipt.
 */
export function readSyncEvents(r: ReadResult): SyncEventInput[] {
  if (!r.advanced) return [];
  const out: SyncEventInput[] = [
    { userId: r.reporter, kind: 'unread', data: { peer: r.peer, readTime: r.lastReadTime }, countsPeer: r.peer },
  ];
  if (r.peer !== r.reporter) {
    out.push({ userId: r.peer, kind: 'peerRead', data: { peer: r.reporter, readTime: r.lastReadTime } });
  }
  return out;
}

/** Sync-log entries for a recall: both parties' devices, each with their counts after it. */
export function withdrawSyncEvents(r: WithdrawResult): SyncEventInput[] {
  const m = r.message;
  const data = { msgKey: m.msgKey, from: m.from, to: m.to };
  const out: SyncEventInput[] = [{ userId: m.to, kind: 'withdraw', msgId: m.id, data, countsPeer: m.from }];
  if (m.from !== m.to) out.push({ userId: m.from, kind: 'withdraw', msgId: m.id, data, countsPeer: m.to });
  return out;
}

/**
 * The sync-log entry for read receipts: the sender's devices learn which of their messages the reader acknowledged
 * (`readReceipt`, Tencent's per-message receipt). Nothing when no message got its receipt now.
 */
export function readReceiptSyncEvents(r: ReadReceiptResult): SyncEventInput[] {
  if (r.receipted.length === 0) return [];
  const messages = r.receipted.map((m) => ({ msgKey: m.msgKey, msgId: msgIdOf(m.msgKey) }));
  return [{ userId: r.peer, kind: 'readReceipt', data: { peer: r.reader, messages } }];
}

/**
 * Sync-log entries for an edit: both parties' devices get the message as it is now (`modify`, read back joined),
 * the sender's unless it sent with SyncOtherMachine 2.
 */
export function modifySyncEvents(r: ModifyResult): SyncEventInput[] {
  const m = r.message;
  const out: SyncEventInput[] = [{ userId: m.to, kind: 'modify', msgId: m.id, data: {} }];
  if (m.from !== m.to && m.syncOtherMachine !== 2) out.push({ userId: m.from, kind: 'modify', msgId: m.id, data: {} });
  return out;
}
