import type { RoamPage, RoamQuery, UnreadCounts } from '../../domain/types.ts';
import { ImError } from '../../errors/im-error.ts';
import type { ConversationPage, MessagePage, PageRequest } from '../conversation-page.ts';
import { toStoredMessage } from '../sqlite/message-row.ts';
import type { MessageRow } from '../sqlite/sql/message-statements.ts';
import type { SyncEvent, SyncKind, SyncPage, SyncQuery } from '../sync-event.ts';
import type { PgPool } from './pg-pool.ts';
import { accountSql } from './sql/account-sql.ts';
import { listingSql } from './sql/listing-sql.ts';
import { syncSql } from './sql/sync-sql.ts';

const MAX_ID = Number.MAX_SAFE_INTEGER;

type SyncRow = { head: number; pruned_upto: number; id: number | null; app_id: number; user_id: string };

/** The store's reads on PostgreSQL: one statement each on any pooled connection (committed data, no locks). */
export class PgListings {
  private readonly pool: PgPool;
  constructor(pool: PgPool) {
    this.pool = pool;
  }

  async unreadCounts(appId: number, user: string, peers?: string[]): Promise<UnreadCounts> {
    const rows = await this.pool.rows<{ total: number | null; peer: string | null; known: boolean; unread: number }>(
      accountSql.unreadCounts,
      [appId, user, peers ?? []],
    );
    const total = rows[0]?.total;
    if (total === null || total === undefined) throw new ImError('TO_ACCOUNT_INVALID');
    const counts: UnreadCounts = { total, perPeer: [], missingPeers: [] };
    for (const r of rows) {
      if (r.peer === null) continue;
      if (!r.known) counts.missingPeers.push(r.peer);
      else counts.perPeer.push({ peer: r.peer, unread: r.unread });
    }
    return counts;
  }

  private async requireAccounts(
    appId: number,
    a: string,
    b: string,
    codeA: 'FROM_ACCOUNT_INVALID' | 'TO_ACCOUNT_INVALID',
  ) {
    const [r] = await this.pool.rows<{ a_ok: boolean; b_ok: boolean }>(listingSql.accountsExist, [appId, a, b]);
    if (!r?.a_ok) throw new ImError(codeA);
    if (!r.b_ok) throw new ImError('TO_ACCOUNT_INVALID');
  }

  async roam(appId: number, q: RoamQuery): Promise<RoamPage> {
    await this.requireAccounts(appId, q.from, q.to, 'FROM_ACCOUNT_INVALID');
    let below = MAX_ID;
    if (q.lastMsgKey) {
      const [r] = await this.pool.rows<{ id: number | null }>(listingSql.keyInPair, [
        appId,
        q.lastMsgKey,
        q.from,
        q.to,
      ]);
      if (r?.id === null || r?.id === undefined) throw new ImError('MSG_KEY_INVALID');
      below = r.id;
    }
    const rows = await this.pool.rows<MessageRow>(listingSql.roam, [
      appId,
      q.from,
      q.to,
      below,
      q.minTime,
      q.maxTime,
      q.maxCnt + 1,
    ]);
    return { messages: rows.slice(0, q.maxCnt).map(toStoredMessage), complete: rows.length <= q.maxCnt };
  }

  async conversations(appId: number, owner: string, page: PageRequest): Promise<ConversationPage> {
    const [ok] = await this.pool.rows<{ a_ok: boolean }>(listingSql.accountsExist, [appId, owner, owner]);
    if (!ok?.a_ok) throw new ImError('TO_ACCOUNT_INVALID');
    type Row = Omit<MessageRow, 'id'> & {
      peer: string;
      unread: number;
      last_read_time: number;
      last_msg_id: number;
      peer_read_time: number;
      m_id: number | null;
    };
    const rows = await this.pool.rows<Row>(listingSql.conversations, [
      appId,
      owner,
      page.before ?? MAX_ID,
      page.limit + 1,
    ]);
    const conversations = rows.slice(0, page.limit).map((r) => ({
      peer: r.peer,
      unread: r.unread,
      readTime: r.last_read_time,
      peerReadTime: r.peer_read_time,
      lastMessage: r.m_id === null ? undefined : toStoredMessage({ ...r, id: r.m_id }),
    }));
    const last = rows[page.limit - 1];
    return { conversations, next: rows.length > page.limit && last ? last.last_msg_id : undefined };
  }

  async messages(appId: number, owner: string, peer: string, page: PageRequest): Promise<MessagePage> {
    await this.requireAccounts(appId, owner, peer, 'FROM_ACCOUNT_INVALID');
    const rows = await this.pool.rows<MessageRow>(listingSql.messages, [
      appId,
      owner,
      peer,
      page.before ?? MAX_ID,
      page.limit + 1,
    ]);
    const messages = rows.slice(0, page.limit).map(toStoredMessage);
    const [t] = await this.pool.rows<{ mine: number; theirs: number }>(listingSql.readTimes, [appId, owner, peer]);
    return {
      messages,
      next: rows.length > page.limit ? messages.at(-1)?.id : undefined,
      readTime: t?.mine ?? 0,
      peerReadTime: t?.theirs ?? 0,
    };
  }

  /** One page of the sync log, with the head and horizon of the same snapshot. */
  async syncEvents(q: SyncQuery): Promise<SyncPage> {
    const rows =
      q.userId !== undefined && q.appId !== undefined
        ? await this.pool.rows<SyncRow>(syncSql.readUser, [q.appId, q.userId, q.after, q.limit])
        : await this.pool.rows<SyncRow>(syncSql.readAll, [q.after, q.limit]);
    const events: SyncEvent[] = [];
    for (const r of rows) if (r.id !== null) events.push(toSyncEvent(r));
    return { events, head: rows[0]?.head ?? 0, horizon: rows[0]?.pruned_upto ?? 0 };
  }
}

function toSyncEvent(r: Record<string, unknown>): SyncEvent {
  const event: SyncEvent = {
    seq: r.id as number,
    appId: r.app_id as number,
    userId: r.user_id as string,
    kind: r.kind as SyncKind,
    data: JSON.parse(r.data as string) as Record<string, unknown>,
    createdAt: r.created_at as number,
  };
  if (r.m_id !== null) {
    const m = Object.fromEntries(
      Object.entries(r)
        .filter(([k]) => k.startsWith('m_'))
        .map(([k, v]) => [k.slice(2), v]),
    ) as unknown as MessageRow;
    event.message = toStoredMessage(m);
  }
  return event;
}
