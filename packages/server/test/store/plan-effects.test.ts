/**
 * `planEffects`: what each kind of effect plan produces from its write's result (the same callback events and
 * sync-log entries the core's planners give), nothing for disabled commands or a duplicate send, and plans that
 * survive `structuredClone` unchanged (so they can cross to a store worker).
 * @module
 */
import assert from 'node:assert/strict';
import { planEffects } from '../../src/core/plan-effects.ts';
import type {
  BatchSendResult,
  Origin,
  ReadResult,
  SendResult,
  StoredMessage,
  WithdrawResult,
} from '../../src/domain/types.ts';
import type { EffectPlan, EffectPlanOf } from '../../src/store/effect-plan.ts';
import { newMessage } from './helpers/fixtures.ts';
import { describe, it } from 'node:test';

const WEB: Origin = { clientIp: '10.1.2.3', optPlatform: 'Web' };
const ALL = ['C2C.CallbackAfterSendMsg', 'C2C.CallbackAfterMsgReport', 'C2C.CallbackAfterMsgWithDraw'];
const m = newMessage('alice', { origin: WEB });

function stored(overrides: Partial<StoredMessage> = {}): StoredMessage {
  return {
    id: 7,
    msgKey: '7_42_1700000000',
    from: m.from,
    to: 'bob',
    msgSeq: m.msgSeq,
    msgRandom: m.msgRandom,
    msgTime: 1700000000,
    body: m.body,
    cloudCustomData: m.cloudCustomData ?? '',
    recalled: false,
    countsUnread: true,
    syncOtherMachine: 1,
    ...overrides,
  };
}

const sent: SendResult = { message: stored(), duplicate: false, recipientUnreadTotal: 3 };
const read: ReadResult = {
  reporter: 'bob',
  peer: 'alice',
  lastReadTime: 1700000005,
  conversationUnread: 0,
  unreadTotal: 2,
  advanced: true,
};
const withdrawn: WithdrawResult = {
  message: stored({ recalled: true }),
  recipientUnreadTotal: 1,
  alreadyRecalled: false,
};

describe('planEffects', () => {
  it('send: C2C.CallbackAfterSendMsg from the message’s origin, and sync entries for both parties', () => {
    const effects = planEffects({ kind: 'send', enabledCallbacks: ALL, message: m }, sent);
    assert.deepEqual(effects.callbacks, [
      {
        command: 'C2C.CallbackAfterSendMsg',
        orderingKey: 'alice',
        payload: {
          From_Account: 'alice',
          To_Account: 'bob',
          MsgSeq: m.msgSeq,
          MsgRandom: m.msgRandom,
          MsgTime: 1700000000,
          MsgKey: '7_42_1700000000',
          MsgId: '7-1700000000-42',
          OnlineOnlyFlag: 0,
          SendMsgResult: 0,
          ErrorInfo: 'send msg succeed',
          UnreadMsgNum: 3,
          MsgBody: m.body,
          CloudCustomData: m.cloudCustomData,
        },
        origin: WEB,
      },
    ]);
    assert.deepEqual(effects.sync, [
      { userId: 'bob', kind: 'message', msgId: 7, data: {}, countsPeer: 'alice' },
      { userId: 'alice', kind: 'message', msgId: 7, data: {} },
    ]);
  });

  it('send: a duplicate produces nothing; ForbidAfterSendMsgCallback suppresses only the callback', () => {
    const plan: EffectPlanOf<'send'> = { kind: 'send', enabledCallbacks: ALL, message: m };
    assert.deepEqual(planEffects(plan, { ...sent, duplicate: true }), { callbacks: [], sync: [] });
    const forbidden = { ...m, forbidCallbacks: ['ForbidAfterSendMsgCallback'] };
    const effects = planEffects({ ...plan, message: forbidden }, sent);
    assert.deepEqual(effects.callbacks, []);
    assert.equal(effects.sync.length, 2);
  });

  it('batch-send: sync entries for every stored copy, never a callback', () => {
    const toCarol: SendResult = { ...sent, message: stored({ id: 8, to: 'carol' }) };
    const result: BatchSendResult = {
      msgKey: '7_42_1700000000',
      msgTime: 1700000000,
      sent: [sent, toCarol],
      errors: [],
    };
    const effects = planEffects({ kind: 'batch-send', message: m }, result);
    assert.deepEqual(effects.callbacks, []);
    assert.deepEqual(
      effects.sync.map((e) => [e.userId, e.msgId, e.countsPeer]),
      [
        ['bob', 7, 'alice'],
        ['alice', 7, undefined],
        ['carol', 8, 'alice'],
        ['alice', 8, undefined],
      ],
    );
  });

  it('read: C2C.CallbackAfterMsgReport from the plan’s origin, the reporter’s counts and the peer’s receipt', () => {
    const effects = planEffects({ kind: 'read', enabledCallbacks: ALL, origin: WEB }, read);
    assert.deepEqual(effects.callbacks, [
      {
        command: 'C2C.CallbackAfterMsgReport',
        orderingKey: 'bob',
        payload: { Report_Account: 'bob', Peer_Account: 'alice', LastReadTime: 1700000005, UnreadMsgNum: 2 },
        origin: WEB,
      },
    ]);
    assert.deepEqual(effects.sync, [
      { userId: 'bob', kind: 'unread', data: { peer: 'alice', readTime: 1700000005 }, countsPeer: 'alice' },
      { userId: 'alice', kind: 'peerRead', data: { peer: 'bob', readTime: 1700000005 } },
    ]);
  });

  it('withdraw: C2C.CallbackAfterMsgWithDraw from the plan’s origin, and both parties’ sync entries', () => {
    const effects = planEffects({ kind: 'withdraw', enabledCallbacks: ALL, origin: WEB }, withdrawn);
    assert.deepEqual(effects.callbacks, [
      {
        command: 'C2C.CallbackAfterMsgWithDraw',
        orderingKey: 'alice',
        payload: { From_Account: 'alice', To_Account: 'bob', MsgKey: '7_42_1700000000', UnreadMsgNum: 1 },
        origin: WEB,
      },
    ]);
    const data = { msgKey: '7_42_1700000000', from: 'alice', to: 'bob' };
    assert.deepEqual(effects.sync, [
      { userId: 'bob', kind: 'withdraw', msgId: 7, data, countsPeer: 'alice' },
      { userId: 'alice', kind: 'withdraw', msgId: 7, data, countsPeer: 'bob' },
    ]);
  });

  it('a second recall of the same message produces nothing: it changed nothing', () => {
    const again = planEffects(
      { kind: 'withdraw', enabledCallbacks: ALL, origin: WEB },
      { ...withdrawn, alreadyRecalled: true },
    );
    assert.deepEqual(again, { callbacks: [], sync: [] });
  });

  it('commands the plan does not enable produce no callback, but the sync entries stay', () => {
    const others = (command: string) => ALL.filter((c) => c !== command);
    for (const enabledCallbacks of [[], others('C2C.CallbackAfterSendMsg')]) {
      const effects = planEffects({ kind: 'send', enabledCallbacks, message: m }, sent);
      assert.deepEqual(effects.callbacks, []);
      assert.equal(effects.sync.length, 2);
    }
    for (const enabledCallbacks of [[], others('C2C.CallbackAfterMsgReport')]) {
      const effects = planEffects({ kind: 'read', enabledCallbacks, origin: WEB }, read);
      assert.deepEqual(effects.callbacks, []);
      assert.equal(effects.sync.length, 2);
    }
    for (const enabledCallbacks of [[], others('C2C.CallbackAfterMsgWithDraw')]) {
      const effects = planEffects({ kind: 'withdraw', enabledCallbacks, origin: WEB }, withdrawn);
      assert.deepEqual(effects.callbacks, []);
      assert.equal(effects.sync.length, 2);
    }
  });

  it('every kind of plan survives structuredClone unchanged, and its clone plans the same effects', () => {
    const plans: EffectPlan[] = [
      { kind: 'send', enabledCallbacks: ALL, message: m },
      { kind: 'batch-send', message: m },
      { kind: 'read', enabledCallbacks: ['C2C.CallbackAfterMsgReport'], origin: WEB },
      { kind: 'withdraw', enabledCallbacks: [], origin: WEB },
    ];
    for (const plan of plans) {
      const clone = structuredClone(plan);
      assert.notEqual(clone, plan);
      assert.deepStrictEqual(clone, plan);
    }
    const sendClone = structuredClone({ kind: 'send', enabledCallbacks: ALL, message: m } as const);
    assert.deepEqual(
      planEffects(sendClone, sent),
      planEffects({ kind: 'send', enabledCallbacks: ALL, message: m }, sent),
    );
    const readClone = structuredClone({ kind: 'read', enabledCallbacks: ALL, origin: WEB } as const);
    assert.deepEqual(
      planEffects(readClone, read),
      planEffects({ kind: 'read', enabledCallbacks: ALL, origin: WEB }, read),
    );
  });
});
