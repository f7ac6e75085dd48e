import type { RoamPage, RoamQuery, UnreadCounts } from '../../domain/types.ts';
import { ImError } from '../../errors/im-error.ts';
import type { ConversationPage, MessagePage, PageRequest } from '../conversation-page.ts';
import { toStoredMessage } from './message-row.ts';
import { prepareListingStatements } from './sql/listing-statements.ts';
import type { SqliteContext } from './sqlite-context.ts';

/**
 * The store's reads on SQLite: unread counts, roaming history, conversation lists and message pages. They run on the
 * connection outside any transaction and see only committed data.
 */
export class SqliteListings {
  private readonly s;
  private readonly ctx: SqliteContext;

  constructor(ctx: SqliteContext) {
    this.ctx = ctx;
    this.s = prepareListingStatements(ctx.db);
  }

  /**
   * `user`'s total unread and its count with each of `peers` (unknown peers listed apart).
   * Unknown user → TO_ACCOUNT_INVALID.
   */
  unreadCounts(appId: number, user: string, peers?: string[]): UnreadCounts {
    const { accounts, conversations } = this.ctx;
    const total = accounts.unreadTotal.get(appId, user);
    if (total === undefined) throw new ImError('TO_ACCOUNT_INVALID');
    const counts: UnreadCounts = { total, perPeer: [], missingPeers: [] };
    for (const peer of peers ?? []) {
      if (accounts.exists.get(appId, peer) === undefined) counts.missingPeers.push(peer);
      else counts.perPeer.push({ peer, unread: conversations.unread.get(appId, user, peer) ?? 0 });
    }
    return counts;
  }

  /**
   * A page of the messages between two accounts, newest first, below `q.lastMsgKey`
   * (MSG_KEY_INVALID if that key is not theirs).
   */
  roam(appId: number, q: RoamQuery): RoamPage {
    const ctx = this.ctx;
    if (ctx.accounts.exists.get(appId, q.from) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
    if (ctx.accounts.exists.get(appId, q.to) === undefined) throw new ImError('TO_ACCOUNT_INVALID');
    let below = Number.MAX_SAFE_INTEGER;
    if (q.lastMsgKey) {
      const id = ctx.messages.keyInPair.get({ app: appId, key: q.lastMsgKey, a: q.from, b: q.to });
      if (id === null || id === undefined) throw new ImError('MSG_KEY_INVALID');
      below = id;
    }
    const rows = ctx.messages.roam.all({
      app: appId,
      a: q.from,
      b: q.to,
      below,
      min: q.minTime,
      max: q.maxTime,
      limit: q.maxCnt + 1,
    });
    const complete = rows.length <= q.maxCnt;
    return { messages: rows.slice(0, q.maxCnt).map(toStoredMessage), complete };
  }

  /** `owner`'s conversations that have a last message, most recent first. Unknown owner → TO_ACCOUNT_INVALID. */
  conversations(appId: number, owner: string, page: PageRequest): ConversationPage {
    if (this.ctx.accounts.exists.get(appId, owner) === undefined) throw new ImError('TO_ACCOUNT_INVALID');
    const rows = this.s.conversations.all({
      app: appId,
      owner,
      before: page.before ?? Number.MAX_SAFE_INTEGER,
      limit: page.limit + 1,
    });
    const more = rows.length > page.limit;
    const conversations = rows.slice(0, page.limit).map((r) => ({
      peer: r.peer,
      unread: r.unread,
      readTime: r.last_read_time,
      peerReadTime: r.peer_read_time,
      lastMessage: r.m_id === null ? undefined : toStoredMessage({ ...r, id: r.m_id }),
    }));
    const last = rows[page.limit - 1];
    return { conversations, next: more && last ? last.last_msg_id : undefined };
  }

  /** One page of `owner`'s conversation with `peer`, newest first. Unknown peer → TO_ACCOUNT_INVALID (90003). */
  messages(appId: number, owner: string, peer: string, page: PageRequest): MessagePage {
    if (this.ctx.accounts.exists.get(appId, owner) === undefined) throw new ImError('FROM_ACCOUNT_INVALID');
    if (this.ctx.accounts.exists.get(appId, peer) === undefined) throw new ImError('TO_ACCOUNT_INVALID');
    const rows = this.s.messages.all({
      app: appId,
      owner,
      peer,
      before: page.before ?? Number.MAX_SAFE_INTEGER,
      limit: page.limit + 1,
    });
    const more = rows.length > page.limit;
    const messages = rows.slice(0, page.limit).map(toStoredMessage);
    return {
      messages,
      next: more ? messages.at(-1)?.id : undefined,
      readTime: this.s.readTime.get(appId, owner, peer) ?? 0,
      peerReadTime: this.s.readTime.get(appId, peer, owner) ?? 0,
    };
  }
}
