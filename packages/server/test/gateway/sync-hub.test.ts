/**
 * The sync hub over a real store and fake devices: what it reads after commits, where a device starts, and that every
 * device sees its user's entries exactly once across a disconnect.
 * @module
 */
import assert from 'node:assert/strict';
import { SyncHub, type HubSession } from '../../src/gateway/sync-hub.ts';
import type { SyncPage, SyncQuery } from '../../src/store/sync-event.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { DEDUP_WINDOW, newMessage, textBody } from '../store/helpers/fixtures.ts';
import { after, before, describe, it } from 'node:test';

const APP = 1400000006;

/** A device that records the frames it is pushed. */
class FakeDevice implements HubSession {
  readonly appId = APP;
  cursor = 0;
  live = false;
  isOpen = true;
  readonly bufferedAmount = 0;
  readonly frames: Record<string, any>[] = [];
  readonly userId: string;
  constructor(userId: string) {
    this.userId = userId;
  }
  push(frame: string): boolean {
    if (!this.isOpen) return false;
    this.frames.push(JSON.parse(frame) as Record<string, any>);
    return true;
  }
  close(): void {
    this.isOpen = false;
  }
  /** Texts of the messages pushed so far, in order. */
  texts(): string[] {
    return this.frames.filter((f) => f.event === 'message').map((f) => String(f.data.message.body[0].MsgContent.Text));
  }
  async until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(check(), `device ${this.userId} got ${JSON.stringify(this.frames)}`);
  }
}

let store: SqliteStore;
let hub: SyncHub;
/** Reads of the sync log the hub made. */
const reads: SyncQuery[] = [];

async function send(from: string, to: string, text: string): Promise<void> {
  const m = newMessage(from, { body: textBody(text) });
  await store.sendMessage(APP, to, m, {
    dedupWindowSeconds: DEDUP_WINDOW,
    effects: { kind: 'send', enabledCallbacks: [], message: m },
  });
}

async function connect(device: FakeDevice, cursor?: number): Promise<void> {
  hub.join(device, await hub.plan(APP, device.userId, cursor));
  await device.until(() => device.frames.some((f) => f.event === 'synced'));
}

before(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.importAccounts(APP, [{ userId: 'ann' }, { userId: 'bob' }]);
  await store.startSyncLog(APP, 'bob');
  const counting = {
    readSyncEvents: (q: SyncQuery): Promise<SyncPage> => {
      reads.push(q);
      return store.readSyncEvents(q);
    },
  };
  hub = new SyncHub(counting, {
    maxReplayEvents: 100,
    maxBufferedBytes: 1 << 20,
    onError: (e) => assert.fail(String(e)),
  });
  await hub.start();
  store.onCommit(() => hub.notify());
});
after(() => store.close());

describe('SyncHub', () => {
  it('reads nothing after commits while no device is logged in', async () => {
    reads.length = 0;
    await send('ann', 'bob', 'before anyone');
    await send('ann', 'bob', 'still nobody');
    await new Promise((r) => setImmediate(r));
    assert.equal(reads.length, 0, JSON.stringify(reads));
  });

  it('starts a device without a cursor at the log’s end, then routes new entries to it live', async () => {
    const head = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
    const phone = new FakeDevice('bob');
    await connect(phone);
    assert.equal(phone.cursor, head, 'starts at the end of the log, past the entries written while nobody was there');
    assert.deepEqual(phone.texts(), []);
    await send('ann', 'bob', 'live one');
    await phone.until(() => phone.texts().length === 1);
    assert.deepEqual(phone.texts(), ['live one']);
    phone.isOpen = false;
    hub.leave(phone);
  });

  it('gives a device that resumes with its cursor exactly what it missed while nobody was logged in', async () => {
    const cursor = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
    reads.length = 0;
    await send('ann', 'bob', 'missed 1');
    await send('ann', 'bob', 'missed 2');
    await new Promise((r) => setImmediate(r));
    assert.equal(hub.size, 0);
    assert.equal(reads.length, 0, 'no device: no reads');
    const tablet = new FakeDevice('bob');
    await connect(tablet, cursor);
    await send('ann', 'bob', 'after resume');
    await tablet.until(() => tablet.texts().length === 3);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(tablet.texts(), ['missed 1', 'missed 2', 'after resume']);
    assert.ok(
      reads.some((q) => q.userId === undefined && q.limit > 0),
      'with a device, commits are routed from the log',
    );
    tablet.isOpen = false;
    hub.leave(tablet);
  });

  it('starts devices that log in at the same moment, after commits nobody saw, all at the log’s end', async () => {
    await send('ann', 'bob', 'unseen 1');
    await send('ann', 'bob', 'unseen 2');
    const head = (await store.readSyncEvents({ after: 0, limit: 0 })).head;
    const plans = await Promise.all([hub.plan(APP, 'bob', undefined), hub.plan(APP, 'bob', undefined)]);
    assert.deepEqual(
      plans.map((p) => p.cursor),
      [head, head],
    );
  });
});
