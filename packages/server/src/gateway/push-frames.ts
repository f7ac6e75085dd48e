import type { StoredMessage } from '../domain/types.ts';
import type { SyncEvent } from '../store/sync-event.ts';
import { toChatMessage } from './chat-message.ts';
import { pushFrame } from './client-frames.ts';

/**
 * The push for a sync-log entry, as its user's devices see it; `seq` is the entry's position (the resume cursor).
 * - `message`: `{ message, unread?: { peer, conversation, total } }` (counts for the recipient only)
 * - `unread`: `{ peer, readTime, unread: { peer, conversation, total } }`
 * - `peerRead`: `{ peer, readTime }`
 * - `withdraw`: `{ msgKey, from, to, unread: { … } }`
 * - `modify`: `{ message }` (the message as it is after an edit)
 * - `readReceipt`: `{ peer, messages: [{ msgKey, msgId }] }` (the peer sent receipts for these messages of yours)
 */
export function syncEventFrame(e: SyncEvent): string {
  const data: Record<string, unknown> = { ...e.data };
  if ((e.kind === 'message' || e.kind === 'modify') && e.message) data.message = toChatMessage(e.message, e.userId);
  return pushFrame(e.kind, data, e.seq);
}

/** The push for an online-only message (OnlineOnlyFlag 1): not stored, so no `seq` and no counts. */
export function onlineMessageFrame(m: StoredMessage, viewer: string): string {
  return pushFrame('message', { message: toChatMessage(m, viewer), onlineOnly: true });
}
