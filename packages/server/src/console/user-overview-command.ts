import { z } from 'zod';
import { msgIdOf } from '../core/msg-id.ts';
import type { StoredMessage } from '../domain/types.ts';
import type { CommandDef } from '../rest/command.ts';
import { parseBody } from '../rest/parse-body.ts';

/** Most conversations one `user_overview` lists. */
export const MAX_OVERVIEW_CONVERSATIONS = 500;

const schema = z.object({
  Account: z.string({ error: 'INVALID_PARAMETERS' }).min(1, { error: 'INVALID_PARAMETERS' }),
  Limit: z
    .number({ error: 'INVALID_PARAMETERS' })
    .int({ error: 'INVALID_PARAMETERS' })
    .min(1, { error: 'INVALID_PARAMETERS' })
    .max(MAX_OVERVIEW_CONVERSATIONS, { error: 'INVALID_PARAMETERS' })
    .optional(),
});

/** The text of a message: its text elements joined, other elements as `[MsgType]`. */
function textOf(m: StoredMessage): string {
  if (m.recalled) return '[recalled]';
  return m.body
    .map((e) =>
      e.MsgType === 'TIMTextElem' && typeof e.MsgContent.Text === 'string' ? e.MsgContent.Text : `[${e.MsgType}]`,
    )
    .join(' ');
}

/**
 * `readwire_console/user_overview`: one account at a glance. `Exists` (0 when it is not an account: then nothing
 * else is filled), `TotalUnread` (as `openim/get_c2c_unread_msg_num` answers it), and its conversations that have a
 * message, most recent first (at most `Limit`, default 100, max 500; `Complete` 0 when there are more): `Peer`,
 * `Unread`, `ReadTime` (the account's read watermark, Unix seconds), `PeerReadTime` (the peer's) and `LastMessage`
 * (`MsgKey`, `MsgId`, `From_Account`, `To_Account`, `MsgTime`, `Text`), or null.
 */
export const userOverviewCommand: CommandDef = {
  service: 'readwire_console',
  command: 'user_overview',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(schema, body, 'INVALID_PARAMETERS');
    const limit = b.Limit ?? 100;
    const store = services.store;
    const known = await store.existingAccounts(app.sdkAppId, [b.Account]);
    if (!known.has(b.Account)) {
      return { Account: b.Account, Exists: 0, TotalUnread: 0, Conversations: [], Complete: 1 };
    }
    const unread = await store.getUnread(app.sdkAppId, b.Account);
    const page = await store.listConversations(app.sdkAppId, b.Account, { limit });
    return {
      Account: b.Account,
      Exists: 1,
      TotalUnread: unread.total,
      Conversations: page.conversations.map((c) => ({
        Peer: c.peer,
        Unread: c.unread,
        ReadTime: c.readTime,
        PeerReadTime: c.peerReadTime,
        LastMessage: c.lastMessage
          ? {
              MsgKey: c.lastMessage.msgKey,
              MsgId: msgIdOf(c.lastMessage.msgKey),
              From_Account: c.lastMessage.from,
              To_Account: c.lastMessage.to,
              MsgTime: c.lastMessage.msgTime,
              Text: textOf(c.lastMessage),
            }
          : null,
      })),
      Complete: page.next === undefined ? 1 : 0,
    };
  },
};
