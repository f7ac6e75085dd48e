import type {
  AccountInput,
  BatchSendResult,
  DeleteAccountsResult,
  DeleteConversationRequest,
  DeleteConversationResult,
  NewMessage,
  KickResult,
  ModifyRequest,
  ModifyResult,
  ReadAllRequest,
  ReadAllResult,
  ReadReceiptRequest,
  ReadReceiptResult,
  ReadReport,
  ReadResult,
  RoamPage,
  RoamQuery,
  SendResult,
  StateChange,
  UnreadCounts,
  WithdrawRequest,
  WithdrawResult,
} from '../domain/types.ts';
import type { ConversationPage, MessagePage, PageRequest } from './conversation-page.ts';
import type { EffectPlanOf } from './effect-plan.ts';
import type { SyncPage, SyncQuery } from './sync-event.ts';

/**
 * The storage contract. Every method is asynchronous and **atomic**: a write either commits whole, together with
 * the callback events and sync-log entries its `effects` plan produces from its result, or changes nothing (and
 * rejects, usually with an `ImError`). Every argument is plain structured-clone data (an `EffectPlan`, not a
 * callback), so an implementation may run in another thread or process.
 * An acknowledged (resolved) write is durable. SQLite and PostgreSQL implementations pass the same contract suite
 * (`test/store/store-contract.ts`).
 *
 * Errors thrown: `ImError` with `FROM_ACCOUNT_INVALID` / `TO_ACCOUNT_INVALID` / `ACCOUNT_NOT_IMPORTED` for unknown
 * accounts, `MSG_KEY_INVALID` for an unknown MsgKey.
 */
export interface Store {
  /** Imports (upserts) accounts; returns nothing. Re-import keeps one account and updates nick/face. */
  importAccounts(appId: number, accounts: AccountInput[]): Promise<void>;
  /**
   * Deletes accounts: each account row (its unread total) and its own conversations (its counts and read
   * watermarks). Messages stay (they are also the peers' history), as do the peers' conversations and counts, the sync
   * log (until pruned) and callback events (still delivered). Ids that are not accounts are listed in `missing`.
   */
  deleteAccounts(
    appId: number,
    userIds: string[],
    options?: { effects?: EffectPlanOf<'account-delete'> | undefined },
  ): Promise<DeleteAccountsResult>;

  /** The subset of `userIds` that are imported. */
  existingAccounts(appId: number, userIds: string[]): Promise<Set<string>>;

  /**
   * Stores a C2C message and updates the recipient's conversation and total unread counts in one transaction.
   * A send with the same sender, recipient, MsgSeq, MsgRandom and content CRC within `dedupWindowSeconds` returns
   * the original with `duplicate: true` and changes nothing; the same message to another recipient is a new message. Unknown `from` → FROM_ACCOUNT_INVALID, `to` → TO_ACCOUNT_INVALID.
   */
  sendMessage(
    appId: number,
    to: string,
    message: NewMessage,
    options: { dedupWindowSeconds: number; effects?: EffectPlanOf<'send'> | undefined },
  ): Promise<SendResult>;

  /** Stores one message for each recipient (all sharing one MsgKey and MsgTime); unknown recipients go to `errors` with 70107. */
  batchSendMessage(
    appId: number,
    to: string[],
    message: NewMessage,
    options?: { effects?: EffectPlanOf<'batch-send'> | undefined },
  ): Promise<BatchSendResult>;

  /**
   * Moves `reporter`'s read watermark of the conversation with `peer` forward and recomputes the counts.
   * Without `readTime` every message stored before the call is read; with it, every message with `msgTime <= readTime`.
   * Unknown reporter → FROM_ACCOUNT_INVALID; unknown peer → TO_ACCOUNT_INVALID.
   */
  setRead(
    appId: number,
    report: ReadReport,
    options?: { effects?: EffectPlanOf<'read'> | undefined },
  ): Promise<ReadResult>;

  /**
   * Per-message read receipts: stamps each message (from `peer` to `reader`, by MsgKey) as receipted, once; returns
   * those receipted now. Counts and watermarks do not change. Unknown reader → FROM_ACCOUNT_INVALID, unknown peer →
   * TO_ACCOUNT_INVALID, a key that is not a message from peer to reader → MSG_KEY_INVALID (nothing written).
   * Stored messages read back with `readReceipt: true` afterwards (`getRoamMessages`, `listMessages`).
   */
  setReadReceipts(
    appId: number,
    request: ReadReceiptRequest,
    options?: { effects?: EffectPlanOf<'receipt'> | undefined },
  ): Promise<ReadReceiptResult>;

  /**
   * Read-all: a read report (everything stored so far) on every conversation of `reporter` that has unread messages,
   * all in one transaction; the reporter's total ends at 0. Unknown reporter → FROM_ACCOUNT_INVALID.
   */
  setReadAll(
    appId: number,
    request: ReadAllRequest,
    options?: { effects?: EffectPlanOf<'read-all'> | undefined },
  ): Promise<ReadAllResult>;

  /**
   * Imports a message with the MsgTime it had (`msgTime`, Unix seconds, not in the future → MSG_TIMESTAMP_INVALID)
   * and updates the conversation and counts as `sendMessage` does (`message.countsUnread` decides whether it counts).
   * The same MsgSeq + MsgRandom + msgTime in the same conversation, in either direction, returns the first import
   * with `duplicate: true` and changes nothing. `message.onlineOnly` is ignored (an import is stored).
   */
  importMessage(
    appId: number,
    to: string,
    message: NewMessage,
    msgTime: number,
    options?: { effects?: EffectPlanOf<'import'> | undefined },
  ): Promise<SendResult>;

  /**
   * Replaces the body and/or CloudCustomData of a stored message. Unknown accounts → FROM_ACCOUNT_INVALID /
   * TO_ACCOUNT_INVALID; unknown or recalled message → MSG_KEY_INVALID. Counts do not change.
   */
  modifyMessage(
    appId: number,
    request: ModifyRequest,
    options?: { effects?: EffectPlanOf<'modify'> | undefined },
  ): Promise<ModifyResult>;

  /**
   * Kicks an account: UserSigs issued at or before the current second (`TLS.time`) stop logging in, here and on every
   * server sharing the store, until a newer one is issued. Unknown account → ACCOUNT_NOT_IMPORTED.
   */
  kickAccount(
    appId: number,
    userId: string,
    options?: { effects?: EffectPlanOf<'kick'> | undefined },
  ): Promise<KickResult>;

  /**
   * Deletes `owner`'s conversation with `peer` from the owner's conversation list (`listConversations`): its unread
   * count drops to 0 (and the owner's total with it) and it is not listed until a new message arrives in either
   * direction, when it comes back with that message alone counted. With `clearHistory`, the owner's view of the
   * messages so far is cleared too: `getRoamMessages` and `listMessages` with the owner as the querying party no
   * longer return them (the peer's view keeps them; messages are shared). Unknown owner → ACCOUNT_NOT_IMPORTED; a
   * peer without a conversation (or without an account) changes nothing (`existed: false`). No callback, no sync
   * entry.
   */
  deleteConversation(appId: number, request: DeleteConversationRequest): Promise<DeleteConversationResult>;

  /** The kick stamp of an account (Unix seconds; 0 = never kicked or no such account). */
  sigsValidAfter(appId: number, userId: string): Promise<number>;

  /** Records a gateway login state change; writes nothing but what its plan produces (`State.StateChange`). */
  recordStateChange(
    appId: number,
    change: StateChange,
    options?: { effects?: EffectPlanOf<'state'> | undefined },
  ): Promise<StateChange>;

  /** Total unread of `user` and, for each of `peers`, the conversation's unread. Unknown user → TO_ACCOUNT_INVALID. O(1) per count. */
  getUnread(appId: number, user: string, peers?: string[]): Promise<UnreadCounts>;

  /** Messages between two accounts in a time range, newest first, paged by `lastMsgKey`. */
  getRoamMessages(appId: number, query: RoamQuery): Promise<RoamPage>;

  /** Recalls a message; a recalled unread message stops counting. Unknown key → MSG_KEY_INVALID. */
  withdrawMessage(
    appId: number,
    request: WithdrawRequest,
    options?: { effects?: EffectPlanOf<'withdraw'> | undefined },
  ): Promise<WithdrawResult>;

  /** `owner`'s conversations with a last message, most recent first, with counts and both read times. */
  listConversations(appId: number, owner: string, page: PageRequest): Promise<ConversationPage>;

  /** One page of `owner`'s messages with `peer`, newest first (the owner's view: SyncOtherMachine 2 sends are not in it). */
  listMessages(appId: number, owner: string, peer: string, page: PageRequest): Promise<MessagePage>;

  /**
   * Starts keeping a sync log for a user (idempotent; the gateway calls it at login). Entries for users without one
   * are not written, so users who never connect a device cost nothing; everything committed after this resolves is
   * logged.
   */
  startSyncLog(appId: number, userId: string): Promise<void>;

  /**
   * Reads the sync log (entries that writes' effect plans produced): one user's entries after a cursor, or everyone's.
   * The page's `head` is the highest entry written when it was read, so a reader that saw `head` has seen all of
   * that user's entries up to it.
   */
  readSyncEvents(query: SyncQuery): Promise<SyncPage>;

  /** Deletes sync-log entries older than `olderThanMs` (in bounded chunks); returns how many. */
  pruneSyncEvents(olderThanMs: number): Promise<number>;

  /** Flushes pending writes and releases the database. */
  close(): Promise<void>;
}
