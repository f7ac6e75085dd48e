import { z } from 'zod';
import { ImError } from '../../errors/im-error.ts';
import type { ConversationSummary } from '../../store/conversation-page.ts';
import type { CommandDef } from '../command.ts';
import { parseBody } from '../parse-body.ts';

/** Conversations one `recentcontact/get_list` page returns. */
export const RECENT_CONTACT_PAGE = 100;
/** Conversations read from the store per listing page while building the answer. */
const SCAN_PAGE = 100;

const count = z.number({ error: 'INVALID_PARAMETERS' }).int({ error: 'INVALID_PARAMETERS' }).min(0, {
  error: 'INVALID_PARAMETERS',
});

const listSchema = z.object({
  From_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }),
  TimeStamp: count,
  StartIndex: count,
  TopTimeStamp: count,
  TopStartIndex: count,
  AssistFlags: count,
});

/** Whether `c` comes after the cursor: older than `time`, or at `time` beyond the first `index` of that second. */
function afterCursor(c: ConversationSummary, time: number, index: number, seenAtTime: number): boolean {
  if (time === 0) return true;
  const t = c.lastMessage?.msgTime ?? 0;
  return t < time || (t === time && seenAtTime >= index);
}

/**
 * `recentcontact/get_list`: `From_Account`'s one-to-one conversations, most recent first, as the client gateway's
 * `conversations` lists them: `SessionItem: [{Type: 1, To_Account, MsgTime, TopFlag: 0, UnreadMsgNum}]`
 * (`UnreadMsgNum`, the conversation's unread count, is Readwire's addition; there is no pinning, so `TopFlag` is 0
 * and the pinned cursor fields come back as sent). Paging: pass the answer's `TimeStamp` and `StartIndex` back
 * until `CompleteFlag` is 1. `AssistFlags` bits are accepted (7, 15, 63, …); conversations without a message are
 * never listed. An unknown `From_Account` is 70107.
 */
export const getRecentContactList: CommandDef = {
  service: 'recentcontact',
  command: 'get_list',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(listSchema, body, 'INVALID_PARAMETERS');
    const known = await services.store.existingAccounts(app.sdkAppId, [b.From_Account]);
    if (!known.has(b.From_Account)) throw new ImError('ACCOUNT_NOT_IMPORTED', 'From_Account is not an account');
    const items: ConversationSummary[] = [];
    let seenAtCursor = 0;
    let before: number | undefined;
    let complete = true;
    scan: for (;;) {
      const page = await services.store.listConversations(app.sdkAppId, b.From_Account, { limit: SCAN_PAGE, before });
      for (const c of page.conversations) {
        const atCursor = (c.lastMessage?.msgTime ?? 0) === b.TimeStamp;
        if (afterCursor(c, b.TimeStamp, b.StartIndex, seenAtCursor)) {
          if (items.length === RECENT_CONTACT_PAGE) {
            complete = false;
            break scan;
          }
          items.push(c);
        }
        if (atCursor) seenAtCursor++;
      }
      if (page.next === undefined) break;
      before = page.next;
    }
    const last = items.at(-1);
    const lastTime = last?.lastMessage?.msgTime ?? b.TimeStamp;
    let index = items.filter((c) => (c.lastMessage?.msgTime ?? 0) === lastTime).length;
    if (lastTime === b.TimeStamp) index += b.StartIndex;
    return {
      SessionItem: items.map((c) => ({
        Type: 1,
        To_Account: c.peer,
        MsgTime: c.lastMessage?.msgTime ?? 0,
        TopFlag: 0,
        UnreadMsgNum: c.unread,
      })),
      CompleteFlag: complete ? 1 : 0,
      TimeStamp: complete ? 0 : lastTime,
      StartIndex: complete ? 0 : index,
      TopTimeStamp: b.TopTimeStamp,
      TopStartIndex: b.TopStartIndex,
    };
  },
};

const deleteSchema = z.object({
  From_Account: z.string({ error: 'FROM_ACCOUNT_INVALID' }).min(1, { error: 'FROM_ACCOUNT_INVALID' }),
  Type: z.literal(1, { error: 'INVALID_PARAMETERS' }),
  To_Account: z.string({ error: 'TO_ACCOUNT_INVALID' }).min(1, { error: 'TO_ACCOUNT_INVALID' }),
  ClearRamble: z.union([z.literal(0), z.literal(1)], { error: 'INVALID_PARAMETERS' }).optional(),
});

/**
 * `recentcontact/delete`: takes `From_Account`'s one-to-one conversation with `To_Account` off its conversation list
 * (`recentcontact/get_list` and the client gateway's `conversations`) with its unread count, until a new message in
 * either direction brings it back. `ClearRamble: 1` also clears `From_Account`'s roaming messages of the conversation
 * so far (`admin_getroammsg` with it as `Operator_Account`, the gateway's message pages); `To_Account` keeps them.
 * `Type` must be 1 (there are no groups). An unknown `From_Account` is 70107; a `To_Account` without a conversation
 * (even one that is no longer an account) is OK and changes nothing.
 */
export const deleteRecentContact: CommandDef = {
  service: 'recentcontact',
  command: 'delete',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(deleteSchema, body, 'INVALID_PARAMETERS');
    await services.store.deleteConversation(app.sdkAppId, {
      owner: b.From_Account,
      peer: b.To_Account,
      clearHistory: b.ClearRamble === 1,
    });
    return {};
  },
};
