import type { MsgElem, StoredMessage } from '../../domain/types.ts';
import type { MessageRow } from './sql/message-statements.ts';

/** Maps a stored row to the domain shape. */
export function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    msgKey: row.msg_key,
    from: row.from_account,
    to: row.to_account,
    msgSeq: row.msg_seq,
    msgRandom: row.msg_random,
    msgTime: row.msg_time,
    body: JSON.parse(row.body) as MsgElem[],
    cloudCustomData: row.cloud_custom_data,
    recalled: row.recalled === 1,
    countsUnread: row.counts_unread === 1,
    syncOtherMachine: row.sync_other_machine === 2 ? 2 : 1,
    readReceipt: (row.read_receipt_at ?? 0) > 0,
  };
}
