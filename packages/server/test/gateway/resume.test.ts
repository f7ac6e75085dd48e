/**
 * Resume from a cursor: a device that reconnects gets exactly its user's sync-log entries after its cursor — none
 * lost, none twice, in order — even while new ones commit during the replay; a cursor that cannot be resumed gets
 * `resync`.
 * @module
 */
import assert from 'node:assert/strict';
import { sendData, startFixture, text, type GatewayFixture } from './helpers/gateway-fixture.ts';
import { after, before, describe, it } from 'node:test';
import type { RawClient } from './helpers/raw-client.ts';

/** The user's sync-log ids after `cursor`, from the database. */
async function logIds(fx: GatewayFixture, user: string, cursor: number): Promise<number[]> {
  const rows = await fx.server.store.inspect<{ id: number }>(
    'SELECT id FROM sync_events WHERE user_id = ? AND id > ? ORDER BY id',
    user,
    cursor,
  );
  return rows.map((r) => r.id);
}

/** The seqs a client received, in arrival order. */
function seqs(c: RawClient): number[] {
  return c.frames.filter((f) => f.type === 'push' && f.seq !== undefined).map((f) => Number(f.seq));
}

describe('resume', () => {
  let fx: GatewayFixture;
  before(async () => {
    fx = await startFixture({ gateway: { requestsPerSecond: 10_000 } });
  });
  after(() => fx.close());

  it('replays exactly what was missed, in order, then goes live', async () => {
    const sender = await fx.login('rita');
    const first = await fx.login('sam');
    await first.push('synced');
    const cursor = Number(first.frames.find((f) => f.type === 'reply')!.data!.cursor);
    first.close();
    const keys = [];
    for (let i = 0; i < 5; i++) keys.push((await sender.call('send', sendData('sam', `m${i}`))).message.msgKey);
    await sender.call('markRead', { peer: 'sam' });
    await fx.rest('admin_set_msg_read', { Report_Account: 'sam', Peer_Account: 'rita' });
    await fx.rest('admin_msgwithdraw', { From_Account: 'rita', To_Account: 'sam', MsgKey: keys[0] });

    const again = await fx.login('sam', { cursor: String(cursor) });
    const synced = await again.push('synced');
    assert.deepEqual(seqs(again), await logIds(fx, 'sam', cursor));
    assert.deepEqual(
      again.frames.filter((f) => f.type === 'push' && f.seq).map((f) => f.event),
      ['message', 'message', 'message', 'message', 'message', 'peerRead', 'unread', 'withdraw'],
    );
    assert.equal(synced.data!.cursor, String(seqs(again).at(-1)));
    await sender.call('send', sendData('sam', 'live'));
    await again.push('message', (f) => f.data!.message.body[0]?.MsgContent.Text === 'live');
    sender.close();
    again.close();
  });

  it('loses and repeats nothing when entries commit during a long replay', async () => {
    const sender = await fx.login('tom');
    const first = await fx.login('uma');
    await first.push('synced');
    const cursor = Number(first.frames.find((f) => f.type === 'reply')!.data!.cursor);
    first.close();
    for (let i = 0; i < 30; i++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          fx.rest('sendmsg', {
            From_Account: 'tom',
            To_Account: 'uma',
            MsgRandom: i * 20 + j,
            MsgBody: text(`b${i}-${j}`),
          }),
        ),
      );
    }
    const resuming = fx.login('uma', { cursor: String(cursor) });
    const during: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) during.push(sender.call('send', sendData('uma', `during ${i}`)));
    const again = await resuming;
    await Promise.all(during);
    await again.push('synced', () => true, 20_000);
    const logged = await logIds(fx, 'uma', cursor);
    await again.waitFor(() => seqs(again).length === logged.length, 10_000).catch(() => undefined);
    assert.equal(seqs(again).length, 700);
    assert.deepEqual(seqs(again), logged);
    sender.close();
    again.close();
  });

  it('answers resync for a cursor from the future or from before the pruned horizon', async () => {
    const c = await fx.login('vic', { cursor: '999999999' });
    assert.equal(c.frames[0]!.data!.resync, true);
    c.close();
    const old = await fx.login('vic');
    const cursor = old.frames[0]!.data!.cursor as string;
    old.close();
    const sender = await fx.login('walt');
    await sender.call('send', sendData('vic', 'soon pruned'));
    assert.ok((await fx.server.store.pruneSyncEvents(Date.now() + 1000)) > 0);
    const after = await fx.login('vic', { cursor });
    assert.equal(after.frames[0]!.data!.resync, true);
    await after.push('synced');
    assert.equal(after.pushes('message').length, 0);
    await sender.call('send', sendData('vic', 'after pruning'));
    await after.push('message');
    sender.close();
    after.close();
  });
});

describe('resume beyond maxReplayEvents', () => {
  let fx: GatewayFixture;
  before(async () => {
    fx = await startFixture({ gateway: { maxReplayEvents: 3 } });
  });
  after(() => fx.close());

  it('sends resync instead of replaying a backlog that is too long', async () => {
    const first = await fx.login('xena');
    const cursor = first.frames[0]!.data!.cursor as string;
    first.close();
    const sender = await fx.login('yuri');
    for (let i = 0; i < 5; i++) await sender.call('send', sendData('xena', `m${i}`));
    const again = await fx.login('xena', { cursor });
    const resync = await again.push('resync');
    await again.push('synced');
    assert.equal(again.pushes('message').length, 0);
    assert.ok(Number(resync.data!.cursor) >= Number(cursor));
    await sender.call('send', sendData('xena', 'live'));
    await again.push('message');
    sender.close();
    again.close();
  });
});
