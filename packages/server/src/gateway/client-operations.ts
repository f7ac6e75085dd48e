import { z } from 'zod';
import type { AppRuntime } from '../core/app-registry.ts';
import { markAllC2cRead } from '../core/mark-all-c2c-read.ts';
import { markC2cRead } from '../core/mark-c2c-read.ts';
import { sendC2cMessage } from '../core/send-c2c-message.ts';
import { MAX_RECEIPT_MESSAGES, sendC2cReadReceipts } from '../core/send-c2c-read-receipts.ts';
import type { Services } from '../core/services.ts';
import type { Origin } from '../domain/types.ts';
import { messageFields, toNewMessage } from '../rest/commands/message-input.ts';
import { MAX_UNREAD_PEERS } from '../rest/commands/read-commands.ts';
import { parseBody } from '../rest/parse-body.ts';
import { toChatMessage } from './chat-message.ts';

/** What an operation runs as: the logged-in user of an app, from a client address and platform. */
export interface OperationContext {
  services: Services;
  app: AppRuntime;
  userId: string;
  origin: Origin;
}

/** One client operation: validates `data`, works through the core, returns the reply's `data`. Throws `ImError`. */
export type Operation = (ctx: OperationContext, data: unknown) => Promise<Record<string, unknown>>;

/** Most items one `conversations`/`messages` page returns. */
export const MAX_PAGE = 100;

const invalid = { error: 'INVALID_PARAMETERS' } as const;
const peerField = z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' });
const pageFields = {
  limit: z.number(invalid).int(invalid).min(1, invalid).max(MAX_PAGE, invalid).optional(),
  before: z
    .string(invalid)
    .regex(/^\d{1,16}$/, invalid)
    .transform(Number)
    .optional(),
};
/** Seconds as a JSON number or a numeric string, as `admin_set_msg_read`'s MsgReadTime. */
const seconds = z.union(
  [
    z.number().int().min(0),
    z
      .string()
      .regex(/^\d{1,12}$/)
      .transform(Number),
  ],
  invalid,
);

/** `sendmsg`'s fields in the client protocol's names; the sender is always the logged-in user. */
const sendSchema = z.object({
  to: peerField,
  msgRandom: messageFields.MsgRandom,
  msgSeq: messageFields.MsgSeq,
  body: messageFields.MsgBody,
  cloudCustomData: messageFields.CloudCustomData,
  syncOtherMachine: messageFields.SyncOtherMachine,
  msgLifeTime: messageFields.MsgLifeTime,
  onlineOnly: z.boolean({ error: 'MSG_FORMAT_INVALID' }).optional(),
  sendMsgControl: messageFields.SendMsgControl,
});

/** `send`: `sendmsg` as the logged-in user, with the same validation, callbacks and error codes. */
const send: Operation = async (ctx, data) => {
  const b = parseBody(sendSchema, data, 'MSG_FORMAT_INVALID');
  const message = toNewMessage(
    {
      MsgRandom: b.msgRandom,
      MsgSeq: b.msgSeq,
      MsgBody: b.body,
      CloudCustomData: b.cloudCustomData,
      SyncOtherMachine: b.syncOtherMachine,
      MsgLifeTime: b.msgLifeTime,
      OnlineOnlyFlag: b.onlineOnly ? 1 : 0,
      SendMsgControl: b.sendMsgControl,
    },
    ctx.userId,
    ctx.origin,
  );
  const outcome = await sendC2cMessage(ctx.services, ctx.app, b.to, message);
  if (outcome.dropped) return { dropped: true, msgKey: outcome.msgKey, msgTime: outcome.msgTime };
  return { message: toChatMessage(outcome.result.message, ctx.userId), duplicate: outcome.result.duplicate };
};

const markReadSchema = z.object({ peer: peerField, readTime: seconds.optional() });

/**
 * `markRead`: `admin_set_msg_read` for the logged-in user — everything received so far, or up to `readTime` — which
 * fires `C2C.CallbackAfterMsgReport` with this connection's ClientIP and OptPlatform.
 */
const markRead: Operation = async (ctx, data) => {
  const b = parseBody(markReadSchema, data, 'INVALID_PARAMETERS');
  const r = await markC2cRead(ctx.services, ctx.app, {
    reporter: ctx.userId,
    peer: b.peer,
    readTime: b.readTime,
    origin: ctx.origin,
  });
  return {
    peer: b.peer,
    readTime: r.lastReadTime,
    unread: { peer: b.peer, conversation: r.conversationUnread, total: r.unreadTotal },
  };
};

/**
 * `markAllRead`: clears every C2C unread count of the logged-in user in one transaction. Fires
 * `C2C.CallbackAfterMsgReadAll` (not one `C2C.CallbackAfterMsgReport` per conversation); the user's devices get
 * `unread` and each peer's devices `peerRead` for every conversation read.
 */
const markAllRead: Operation = async (ctx, data) => {
  parseBody(z.object({}), data ?? {}, 'INVALID_PARAMETERS');
  const r = await markAllC2cRead(ctx.services, ctx.app, { reporter: ctx.userId, origin: ctx.origin });
  return {
    peers: r.conversations.map((c) => ({ peer: c.peer, readTime: c.lastReadTime })),
    totalUnread: r.unreadTotal,
  };
};

/** `conversations`: the user's conversations, most recent first, with counts, both read times and the last message. */
const conversations: Operation = async (ctx, data) => {
  const b = parseBody(z.object(pageFields), data ?? {}, 'INVALID_PARAMETERS');
  const page = await ctx.services.store.listConversations(ctx.app.sdkAppId, ctx.userId, {
    limit: b.limit ?? 50,
    before: b.before,
  });
  const unread = await ctx.services.store.getUnread(ctx.app.sdkAppId, ctx.userId);
  return {
    conversations: page.conversations.map((c) => ({
      peer: c.peer,
      unread: c.unread,
      readTime: c.readTime,
      peerReadTime: c.peerReadTime,
      lastMessage: c.lastMessage ? toChatMessage(c.lastMessage, ctx.userId, c.peerReadTime) : null,
    })),
    totalUnread: unread.total,
    ...(page.next === undefined ? {} : { next: String(page.next) }),
  };
};

/**
 * `messages`: one page of a conversation, newest first; the user's own messages carry `withinPeerReadTime` (the
 * peer's conversation read watermark covers them) and `readReceipt` (the peer sent a per-message receipt).
 */
const messages: Operation = async (ctx, data) => {
  const b = parseBody(z.object({ peer: peerField, ...pageFields }), data, 'INVALID_PARAMETERS');
  const page = await ctx.services.store.listMessages(ctx.app.sdkAppId, ctx.userId, b.peer, {
    limit: b.limit ?? 20,
    before: b.before,
  });
  return {
    messages: page.messages.map((m) => toChatMessage(m, ctx.userId, page.peerReadTime)),
    readTime: page.readTime,
    peerReadTime: page.peerReadTime,
    ...(page.next === undefined ? {} : { next: String(page.next) }),
  };
};

const totalUnreadSchema = z.object({ peers: z.array(peerField, invalid).max(MAX_UNREAD_PEERS, invalid).optional() });

/** `totalUnread`: the user's total C2C unread and, for up to 10 `peers`, each conversation's (`get_c2c_unread_msg_num`). */
const totalUnread: Operation = async (ctx, data) => {
  const b = parseBody(totalUnreadSchema, data ?? {}, 'INVALID_PARAMETERS');
  const counts = await ctx.services.store.getUnread(ctx.app.sdkAppId, ctx.userId, b.peers);
  return {
    totalUnread: counts.total,
    ...(b.peers ? { peers: counts.perPeer, missingPeers: counts.missingPeers } : {}),
  };
};

const readReceiptSchema = z.object({
  peer: peerField,
  msgKeys: z
    .array(z.string({ error: 'MSG_KEY_INVALID' }).min(1, { error: 'MSG_KEY_INVALID' }), {
      error: 'READ_RECEIPT_INVALID',
    })
    .min(1, { error: 'READ_RECEIPT_INVALID' })
    .max(MAX_RECEIPT_MESSAGES, { error: 'READ_RECEIPT_INVALID' }),
});

/**
 * `readReceipt`: `c2c_msg_read_receipt` for the logged-in user as the reader of messages `peer` sent it. Fires
 * `C2C.CallbackAfterMsgReadReceipt`; the peer's devices get a `readReceipt` push. Answers the keys receipted now.
 */
const readReceipt: Operation = async (ctx, data) => {
  const b = parseBody(readReceiptSchema, data, 'READ_RECEIPT_INVALID');
  const r = await sendC2cReadReceipts(ctx.services, ctx.app, {
    reader: ctx.userId,
    peer: b.peer,
    msgKeys: [...new Set(b.msgKeys)],
    origin: ctx.origin,
  });
  return { peer: b.peer, receipted: r.receipted.map((m) => m.msgKey) };
};

/** Every operation a logged-in connection may call, by `op`. */
export const clientOperations: Readonly<Record<string, Operation>> = {
  send,
  markRead,
  markAllRead,
  conversations,
  messages,
  totalUnread,
  readReceipt,
};
