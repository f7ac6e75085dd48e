/**
 * Property: after any interleaving of sends (including NoUnread and OnlineOnly ones and duplicates), batch sends,
 * read reports with and without MsgReadTime, and recalls, every conversation's unread count and every user's total
 * equal
 *  1. a recount computed here from the stored rows (`messages` and the `conversations` watermarks) with the documented
 *     rule: a message from peer to owner counts iff `counts_unread = 1 AND recalled = 0` and it is not read, i.e. not
 *     `id <= read_upto_id OR msg_time <= read_time`; and
 *  2. a pure in-test model that knows nothing of ids or SQL: it orders messages by when they were stored, so "read
 *     without MsgReadTime" means "every message stored before the report".
 * The store stamps `msgTime` from the real clock; MsgReadTime values are drawn around the times it returned.
 * Runs against SQLite and PostgreSQL (a fresh schema, dropped after); the recount reads rows through `inspect`.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ImError } from '../../src/errors/im-error.ts';
import type { ServerStore } from '../../src/store/server-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freshPgStore } from '../helpers/pg-test-db.ts';
import { DEDUP_WINDOW, ORIGIN, contentCrc, newMessage, nowSeconds, textBody, untilSecond } from './helpers/fixtures.ts';
import { after, before, describe, it } from 'node:test';

// ---- commands ----

type TimePick = { pick: number; delta: -1 | 0 | 1 } | null;

type Command =
  | { kind: 'send'; from: number; to: number; seq: number; text: number; noUnread: boolean; onlineOnly: boolean }
  | { kind: 'batch'; from: number; to: number[]; ghost: boolean; noUnread: boolean; onlineOnly: boolean }
  | { kind: 'read'; reporter: number; peer: number; ofMessage: number | null; time: TimePick }
  | { kind: 'recall'; pick: number; wrongTo: number | null };

interface Scenario {
  users: number;
  commands: Command[];
  /** Before which command (if any) to wait for the next wall-clock second, so MsgTimes differ within a run. */
  pauseAt: number | null;
}

const userIx = fc.nat({ max: 4 });
const rarely = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
/** `arb` with probability `p`, else null. */
function sometimes<T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | null> {
  return fc.oneof(
    { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) },
    { weight: Math.round(p * 100), arbitrary: arb },
  );
}

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      from: userIx,
      to: userIx,
      // Small domains, so that identical resends (duplicates) happen.
      seq: fc.nat({ max: 3 }),
      text: fc.nat({ max: 1 }),
      noUnread: rarely,
      onlineOnly: rarely,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      from: userIx,
      to: fc.array(userIx, { maxLength: 5 }),
      ghost: rarely,
      noUnread: rarely,
      onlineOnly: rarely,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      reporter: userIx,
      peer: userIx,
      // Mostly report on the conversation of a stored message, where there is something to read.
      ofMessage: sometimes(fc.nat(), 0.75),
      time: sometimes(fc.record({ pick: fc.nat(), delta: fc.constantFrom(-1 as const, 0 as const, 1 as const) }), 0.5),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('recall' as const),
      pick: fc.nat(),
      wrongTo: sometimes(userIx, 0.25),
    }),
  },
);

const scenario: fc.Arbitrary<Scenario> = fc.record({
  users: fc.integer({ min: 3, max: 5 }),
  commands: fc.array(command, { minLength: 1, maxLength: 30, size: 'max' }),
  pauseAt: sometimes(fc.nat({ max: 29 }), 0.1),
});

// ---- the model ----

interface ModelMessage {
  /** Storage order within the run (the model's notion of "stored before"). */
  order: number;
  key: string;
  from: string;
  to: string;
  msgTime: number;
  countsUnread: boolean;
  recalled: boolean;
  /** Duplicate-suppression key of a single send; batch copies never collide with single sends here. */
  dedupKey: string | null;
}

interface ModelConversation {
  /** Every message with `order <= readUpto` is read (report without MsgReadTime). */
  readUpto: number;
  /** Every message with `msgTime <= readTime` is read (MsgReadTime). */
  readTime: number;
  lastReadTime: number;
}

class Model {
  readonly messages: ModelMessage[] = [];
  private readonly conversations = new Map<string, ModelConversation>();
  private order = 0;

  conversation(owner: string, peer: string): ModelConversation {
    const k = `${owner}\u0000${peer}`;
    let c = this.conversations.get(k);
    if (!c) {
      c = { readUpto: 0, readTime: 0, lastReadTime: 0 };
      this.conversations.set(k, c);
    }
    return c;
  }

  store(m: Omit<ModelMessage, 'order' | 'recalled'>): void {
    this.messages.push({ ...m, order: ++this.order, recalled: false });
  }

  /** A report without MsgReadTime reads everything stored so far. */
  readAll(owner: string, peer: string): void {
    this.conversation(owner, peer).readUpto = this.order;
  }

  readUntil(owner: string, peer: string, t: number): void {
    const c = this.conversation(owner, peer);
    c.readTime = Math.max(c.readTime, t);
  }

  unread(owner: string, peer: string): number {
    const c = this.conversation(owner, peer);
    return this.messages.filter(
      (m) =>
        m.from === peer &&
        m.to === owner &&
        m.countsUnread &&
        !m.recalled &&
        m.order > c.readUpto &&
        m.msgTime > c.readTime,
    ).length;
  }

  total(owner: string, users: string[]): number {
    return users.filter((p) => p !== owner).reduce((sum, p) => sum + this.unread(owner, p), 0);
  }
}

// ---- the independent recount ----

interface MessageRow {
  id: number;
  msg_key: string;
  from_account: string;
  to_account: string;
  msg_time: number;
  counts_unread: number;
  recalled: number;
}
interface ConversationRow {
  owner: string;
  peer: string;
  read_upto_id: number;
  read_time: number;
}

async function recount(store: ServerStore, app: number, users: string[]): Promise<Map<string, number>> {
  const rows = await store.inspect<MessageRow>(
    `SELECT id, msg_key, from_account, to_account, msg_time, counts_unread, recalled FROM messages WHERE app_id = ${app}`,
  );
  const marks = new Map(
    (
      await store.inspect<ConversationRow>(
        `SELECT owner, peer, read_upto_id, read_time FROM conversations WHERE app_id = ${app}`,
      )
    ).map((c) => [`${c.owner}\u0000${c.peer}`, c]),
  );
  const counts = new Map<string, number>();
  for (const owner of users) {
    for (const peer of users) {
      if (peer === owner) continue;
      const w = marks.get(`${owner}\u0000${peer}`) ?? { read_upto_id: 0, read_time: 0 };
      const n = rows.filter(
        (r) =>
          r.from_account === peer &&
          r.to_account === owner &&
          r.counts_unread === 1 &&
          r.recalled === 0 &&
          !(r.id <= w.read_upto_id || r.msg_time <= w.read_time),
      ).length;
      counts.set(`${owner}\u0000${peer}`, n);
    }
  }
  return counts;
}

/** The stored rows are exactly the model's messages (same keys, parties, times, flags). */
async function checkRows(store: ServerStore, app: number, model: Model, where: string): Promise<void> {
  const rows = await store.inspect<MessageRow>(
    `SELECT id, msg_key, from_account, to_account, msg_time, counts_unread, recalled FROM messages WHERE app_id = ${app} ORDER BY id`,
  );
  assert.deepEqual(
    rows.map((r) => [r.msg_key, r.from_account, r.to_account, r.msg_time, r.counts_unread === 1, r.recalled === 1]),
    model.messages.map((m) => [m.key, m.from, m.to, m.msgTime, m.countsUnread, m.recalled]),
    `${where}: stored rows, in storage order, are the model's messages`,
  );
}

async function verify(store: ServerStore, app: number, users: string[], model: Model, where: string): Promise<void> {
  await checkRows(store, app, model, where);
  const recounted = await recount(store, app, users);
  for (const owner of users) {
    const peers = users.filter((u) => u !== owner);
    const got = await store.getUnread(app, owner, peers);
    let recountTotal = 0;
    for (const peer of peers) {
      const k = `${owner}\u0000${peer}`;
      const stored = got.perPeer.find((p) => p.peer === peer)?.unread;
      const expected = model.unread(owner, peer);
      assert.equal(recounted.get(k), expected, `${where}: recount vs model for ${owner}←${peer}`);
      assert.equal(stored, expected, `${where}: store count for ${owner}←${peer}`);
      recountTotal += recounted.get(k)!;
    }
    assert.equal(got.total, recountTotal, `${where}: ${owner}'s total vs the recount`);
    assert.equal(got.total, model.total(owner, users), `${where}: ${owner}'s total vs the model`);
  }
}

// ---- running a scenario ----

let nextApp = 1500000000;
let batchRandom = 1_000_000;

async function run(store: ServerStore, s: Scenario): Promise<void> {
  const app = nextApp++;
  const users = Array.from({ length: s.users }, (_, i) => `u${i}`);
  const name = (i: number) => users[i % users.length]!;
  /** A user other than `a` (rotating `b` away from `a`). */
  const other = (a: number, b: number) => name((b % users.length) + (b % users.length === a % users.length ? 1 : 0));
  await store.importAccounts(
    app,
    users.map((userId) => ({ userId })),
  );
  const model = new Model();
  let lastMsgTime = 0;

  for (const [step, cmd] of s.commands.entries()) {
    if (s.pauseAt === step) await untilSecond(nowSeconds() + 1);
    const where = `step ${step} ${JSON.stringify(cmd)}`;
    switch (cmd.kind) {
      case 'send': {
        const from = name(cmd.from);
        const to = other(cmd.from, cmd.to);
        const body = textBody(`text ${cmd.text}`);
        // MsgRandom derived from the recipient, so only resends of the same message to the same recipient collide.
        const msgRandom = 100 + users.indexOf(to);
        const m = newMessage(from, {
          msgSeq: cmd.seq,
          msgRandom,
          body,
          countsUnread: !cmd.noUnread,
          onlineOnly: cmd.onlineOnly,
        });
        const dedupKey = `${from}|${cmd.seq}|${msgRandom}|${contentCrc(body)}`;
        const original = cmd.onlineOnly ? undefined : model.messages.find((x) => x.dedupKey === dedupKey);
        const r = await store.sendMessage(app, to, m, { dedupWindowSeconds: DEDUP_WINDOW });
        if (original) {
          assert.equal(r.duplicate, true, `${where}: a resend is a duplicate`);
          assert.equal(r.message.msgKey, original.key, `${where}: the duplicate returns the original`);
        } else {
          assert.equal(r.duplicate, false, where);
          assert.ok(r.message.msgTime >= lastMsgTime, `${where}: msgTime never decreases`);
          lastMsgTime = r.message.msgTime;
          if (!cmd.onlineOnly) {
            model.store({
              key: r.message.msgKey,
              from,
              to,
              msgTime: r.message.msgTime,
              countsUnread: !cmd.noUnread,
              dedupKey,
            });
          }
        }
        assert.equal(r.recipientUnreadTotal, model.total(to, users), `${where}: recipientUnreadTotal`);
        break;
      }
      case 'batch': {
        const from = name(cmd.from);
        const recipients = [...new Set(cmd.to.map(name))].filter((u) => u !== from);
        const to = cmd.ghost ? [...recipients.slice(0, 1), 'ghost', ...recipients.slice(1)] : recipients;
        const m = newMessage(from, {
          msgRandom: batchRandom++,
          countsUnread: !cmd.noUnread,
          onlineOnly: cmd.onlineOnly,
        });
        const r = await store.batchSendMessage(app, to, m);
        assert.deepEqual(r.errors, cmd.ghost ? [{ to: 'ghost', errorCode: 70107 }] : [], where);
        assert.deepEqual(
          r.sent.map((x) => x.message.to),
          recipients,
          where,
        );
        assert.ok(r.msgTime >= lastMsgTime, `${where}: msgTime never decreases`);
        lastMsgTime = r.msgTime;
        for (const x of r.sent) {
          assert.equal(x.message.msgKey, r.msgKey, `${where}: one MsgKey`);
          assert.equal(x.message.msgTime, r.msgTime, `${where}: one MsgTime`);
          if (!cmd.onlineOnly) {
            model.store({
              key: r.msgKey,
              from,
              to: x.message.to,
              msgTime: r.msgTime,
              countsUnread: !cmd.noUnread,
              dedupKey: null,
            });
          }
        }
        for (const x of r.sent) {
          assert.equal(x.recipientUnreadTotal, model.total(x.message.to, users), `${where}: recipientUnreadTotal`);
        }
        break;
      }
      case 'read': {
        const of = cmd.ofMessage === null ? undefined : model.messages[cmd.ofMessage % model.messages.length];
        const reporter = of?.to ?? name(cmd.reporter);
        const peer = of?.from ?? other(cmd.reporter, cmd.peer);
        const c = model.conversation(reporter, peer);
        const previousLast = c.lastReadTime;
        let readTime: number | undefined;
        if (cmd.time) {
          const base =
            model.messages.length > 0 ? model.messages[cmd.time.pick % model.messages.length]!.msgTime : nowSeconds();
          readTime = base + cmd.time.delta;
          model.readUntil(reporter, peer, readTime);
        } else {
          model.readAll(reporter, peer);
        }
        const nowBefore = nowSeconds();
        const r = await store.setRead(app, { reporter, peer, readTime, origin: ORIGIN });
        const nowAfter = nowSeconds();
        assert.equal(r.reporter, reporter);
        assert.equal(r.peer, peer);
        assert.equal(r.conversationUnread, model.unread(reporter, peer), `${where}: conversationUnread`);
        assert.equal(r.unreadTotal, model.total(reporter, users), `${where}: unreadTotal`);
        if (readTime !== undefined) {
          assert.equal(r.lastReadTime, Math.max(previousLast, readTime), `${where}: LastReadTime = max(old, T)`);
        } else {
          assert.ok(
            r.lastReadTime >= Math.max(previousLast, nowBefore) && r.lastReadTime <= Math.max(previousLast, nowAfter),
            `${where}: LastReadTime = max(old, now), got ${r.lastReadTime}`,
          );
        }
        c.lastReadTime = r.lastReadTime;
        break;
      }
      case 'recall': {
        if (model.messages.length === 0) break;
        const picked = model.messages[cmd.pick % model.messages.length]!;
        // Optionally ask for the same MsgKey in another conversation of the sender: invalid, unless it is another
        // recipient's copy of the same batch message (batch copies share one MsgKey).
        const to = cmd.wrongTo === null ? picked.to : name(cmd.wrongTo);
        const request = { from: picked.from, to, msgKey: picked.key, origin: ORIGIN };
        const target = model.messages.find((m) => m.key === picked.key && m.from === picked.from && m.to === to);
        if (!target) {
          await assert.rejects(
            store.withdrawMessage(app, request),
            (e: unknown) => e instanceof ImError && e.code === 'MSG_KEY_INVALID',
            `${where}: a key of another conversation is invalid`,
          );
          break;
        }
        const r = await store.withdrawMessage(app, request);
        target.recalled = true;
        assert.equal(r.message.recalled, true, where);
        assert.equal(r.message.msgKey, target.key, where);
        assert.equal(r.message.to, target.to, where);
        assert.equal(r.recipientUnreadTotal, model.total(target.to, users), `${where}: recipientUnreadTotal`);
        break;
      }
    }
    await verify(store, app, users, model, where);
  }
}

/** The property on one store; `open` gives a store for every run of the file (each run uses its own app). */
function property(name: string, open: () => Promise<{ store: ServerStore; cleanup(): Promise<void> }>): void {
  describe(`unread counts (property): ${name}`, () => {
    let fixture: { store: ServerStore; cleanup(): Promise<void> };
    before(async () => {
      fixture = await open();
    });
    after(async () => {
      await fixture.cleanup();
    });

    it(
      'every conversation count and user total equals a recount from the stored rows and the model',
      { timeout: 240_000 },
      async () => {
        await fc.assert(
          fc.asyncProperty(scenario, (s) => run(fixture.store, s)),
          { numRuns: Number(process.env.STORE_PROPERTY_RUNS ?? 60) },
        );
      },
    );
  });
}

property('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-unread-prop-'));
  // One database for every run; each run uses its own app, which also exercises app isolation.
  const store = new SqliteStore({ path: join(dir, 'prop.sqlite'), synchronous: 'NORMAL' });
  return Promise.resolve({
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

property('PostgreSQL', () => freshPgStore());
