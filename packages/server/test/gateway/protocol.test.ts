/**
 * The client protocol through a real server, on the wire: login, each operation with the same validation and error
 * codes as its REST twin, and pushes — including those caused through the REST API.
 * @module
 */
import assert from 'node:assert/strict';
import { APP, sendData, startFixture, text, type GatewayFixture } from './helpers/gateway-fixture.ts';
import { after, before, describe, it } from 'node:test';
import { RawClient } from './helpers/raw-client.ts';

let fx: GatewayFixture;
before(async () => {
  fx = await startFixture();
});
after(() => fx.close());

describe('login', () => {
  it('answers with the session: user, OptPlatform, cursor, expiry, heartbeat and limits', async () => {
    const c = await RawClient.connect(fx.wsUrl);
    const sig = await fx.sig('amy');
    const r = await c.request('login', { sdkAppId: APP, userId: 'amy', userSig: sig, platform: 'ios' });
    assert.equal(r.ok, true);
    assert.equal(r.data!.userId, 'amy');
    assert.equal(r.data!.platform, 'iOS');
    assert.match(r.data!.cursor, /^\d+$/);
    assert.equal(r.data!.resync, false);
    assert.ok(r.data!.expiresAt > Date.now() / 1000);
    assert.equal(r.data!.heartbeatMs, 30_000);
    assert.deepEqual(r.data!.limits, { maxFrameBytes: 65536, requestsPerSecond: 20 });
    await c.push('synced');
    const again = await c.request('login', { sdkAppId: APP, userId: 'amy', userSig: sig });
    assert.equal(again.error!.code, 70402);
    c.close();
  });

  it('maps platforms case-insensitively and anything else to Unknown', async () => {
    for (const [given, expected] of [
      ['WEB', 'Web'],
      ['macOS', 'Mac'],
      ['iPad', 'iPad'],
      ['windows', 'Windows'],
      ['android', 'Android'],
      ['PlayStation', 'Unknown'],
      [undefined, 'Unknown'],
    ] as const) {
      const c = await RawClient.connect(fx.wsUrl);
      const r = await c.call('login', { sdkAppId: APP, userId: 'amy', userSig: await fx.sig('amy'), platform: given });
      assert.equal(r.platform, expected, String(given));
      c.close();
    }
  });

  it('refuses operations before login (6014) and unknown operations (60009); ping works any time', async () => {
    const c = await RawClient.connect(fx.wsUrl);
    assert.equal((await c.request('conversations', {})).error!.code, 6014);
    assert.equal((await c.request('fly', {})).error!.code, 60009);
    assert.equal((await c.request('ping')).ok, true);
    c.close();
  });
});

describe('operations match their REST twins', () => {
  it('send: same codes as sendmsg for the same mistakes', async () => {
    const c = await fx.login('ben');
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { msgRandom: 1, body: text('x') },
        { MsgRandom: 1, MsgBody: text('x') },
      ], // no recipient
      [
        { to: 'nobody', msgRandom: 1, body: text('x') },
        { To_Account: 'nobody', MsgRandom: 1, MsgBody: text('x') },
      ],
      [
        { to: 'amy', body: text('x') },
        { To_Account: 'amy', MsgBody: text('x') },
      ], // no MsgRandom
      [
        { to: 'amy', msgRandom: 1, body: 'x' },
        { To_Account: 'amy', MsgRandom: 1, MsgBody: 'x' },
      ],
      [
        { to: 'amy', msgRandom: 1, body: [{ MsgType: 'TIMBogusElem', MsgContent: {} }] },
        { To_Account: 'amy', MsgRandom: 1, MsgBody: [{ MsgType: 'TIMBogusElem', MsgContent: {} }] },
      ],
      [
        { to: 'amy', msgRandom: 1, body: text('x'.repeat(13_000)) },
        { To_Account: 'amy', MsgRandom: 1, MsgBody: text('x'.repeat(13_000)) },
      ],
    ];
    for (const [ws, rest] of cases) {
      const r = await c.request('send', ws);
      const envelope = await fx.rest('sendmsg', { From_Account: 'ben', ...rest });
      assert.equal(r.ok, false);
      assert.equal(r.error!.code, envelope.ErrorCode, JSON.stringify(ws).slice(0, 80));
    }
    c.close();
  });

  it('send: a resend to the same recipient is a duplicate, the same message to another recipient is not', async () => {
    for (const user of ['ben', 'cal']) (await fx.login(user)).close(); // the recipients' accounts
    const c = await fx.login('dee');
    const data = { msgSeq: 77, msgRandom: 4242, body: text('same') };
    const toBen = await c.call('send', { to: 'ben', ...data });
    const toCal = await c.call('send', { to: 'cal', ...data });
    assert.equal(toBen.duplicate, false);
    assert.equal(toCal.duplicate, false, 'another recipient: stored');
    assert.notEqual(toCal.message.msgKey, toBen.message.msgKey);
    const again = await c.call('send', { to: 'ben', ...data });
    assert.equal(again.duplicate, true);
    assert.equal(again.message.msgKey, toBen.message.msgKey);
    c.close();
  });

  it('a frame nested 5,000 levels deep is a bad frame (60003), not an internal error', async () => {
    const c = await fx.login('ben');
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const frame = JSON.stringify({ id: 'deep', op: 'send', data: { to: 'amy', msgRandom: 9, body: 'X' } });
    const start = c.frames.length;
    c.sendRaw(frame.replace('"X"', `[{"MsgType":"TIMCustomElem","MsgContent":${deep}}]`));
    const r = await c.waitFor((f) => f.ok === false, 10_000, start);
    assert.equal(r.error!.code, 60003);
    assert.equal((await c.request('ping')).ok, true);
    c.close();
  });

  it('markRead: same codes as admin_set_msg_read', async () => {
    const c = await fx.login('ben');
    const r = await c.request('markRead', { peer: 'nobody' });
    const envelope = await fx.rest('admin_set_msg_read', { Report_Account: 'ben', Peer_Account: 'nobody' });
    assert.equal(r.error!.code, 90003);
    assert.equal(envelope.ErrorCode, 90003);
    assert.equal((await c.request('markRead', { peer: 'amy', readTime: 'soon' })).error!.code, 70402);
    c.close();
  });

  it('messages and conversations page with next/before; totalUnread per peer', async () => {
    const carl = await fx.login('carl');
    const dina = await fx.login('dina');
    for (let i = 1; i <= 5; i++) await carl.call('send', sendData('dina', `m${i}`));
    await fx.login('eve').then(async (eve) => {
      await eve.call('send', sendData('dina', 'from eve'));
      eve.close();
    });
    const p1 = await dina.call('messages', { peer: 'carl', limit: 2 });
    assert.deepEqual(
      p1.messages.map((m: { body: { MsgContent: { Text: string } }[] }) => m.body[0]!.MsgContent.Text),
      ['m5', 'm4'],
    );
    const p2 = await dina.call('messages', { peer: 'carl', limit: 2, before: p1.next });
    assert.deepEqual(
      p2.messages.map((m: { body: { MsgContent: { Text: string } }[] }) => m.body[0]!.MsgContent.Text),
      ['m3', 'm2'],
    );
    const p3 = await dina.call('messages', { peer: 'carl', limit: 2, before: p2.next });
    assert.deepEqual(
      p3.messages.map((m: { body: { MsgContent: { Text: string } }[] }) => m.body[0]!.MsgContent.Text),
      ['m1'],
    );
    assert.equal(p3.next, undefined);

    const c1 = await dina.call('conversations', { limit: 1 });
    assert.equal(c1.conversations[0].peer, 'eve');
    assert.equal(c1.totalUnread, 6);
    const c2 = await dina.call('conversations', { limit: 1, before: c1.next });
    assert.equal(c2.conversations[0].peer, 'carl');
    assert.equal(c2.conversations[0].unread, 5);
    assert.equal(c2.next, undefined);

    const t = await dina.call('totalUnread', { peers: ['carl', 'eve', 'ghost'] });
    assert.deepEqual(t, {
      totalUnread: 6,
      peers: [
        { peer: 'carl', unread: 5 },
        { peer: 'eve', unread: 1 },
      ],
      missingPeers: ['ghost'],
    });
    assert.equal((await dina.request('messages', { peer: 'carl', limit: 101 })).error!.code, 70402);
    carl.close();
    dina.close();
  });
});

describe('pushes', () => {
  it('REST sendmsg, admin_set_msg_read and admin_msgwithdraw reach connected devices', async () => {
    const fay = await fx.login('fay');
    const gus = await fx.login('gus');
    await Promise.all([fay.push('synced'), gus.push('synced')]);
    const sent = await fx.rest('sendmsg', {
      From_Account: 'fay',
      To_Account: 'gus',
      MsgRandom: 7,
      MsgBody: text('via REST'),
    });
    assert.equal(sent.ErrorCode, 0);
    const toGus = await gus.push('message');
    assert.equal(toGus.data!.message.msgKey, sent.MsgKey);
    assert.deepEqual(toGus.data!.unread, { peer: 'fay', conversation: 1, total: 1 });
    assert.equal((await fay.push('message')).data!.message.msgKey, sent.MsgKey, 'the sender’s devices are synced');

    await fx.rest('admin_set_msg_read', { Report_Account: 'gus', Peer_Account: 'fay' });
    const unread = await gus.push('unread');
    assert.deepEqual(unread.data!.unread, { peer: 'fay', conversation: 0, total: 0 });
    const receipt = await fay.push('peerRead');
    assert.equal(receipt.data!.peer, 'gus');
    assert.equal(receipt.data!.readTime, unread.data!.readTime);

    await fx.rest('admin_msgwithdraw', { From_Account: 'fay', To_Account: 'gus', MsgKey: sent.MsgKey });
    for (const c of [fay, gus]) assert.equal((await c.push('withdraw')).data!.msgKey, sent.MsgKey);

    const batch = await fx.rest('batchsendmsg', {
      From_Account: 'fay',
      To_Account: ['gus', 'nobody'],
      MsgRandom: 8,
      MsgBody: text('to many'),
    });
    assert.equal(batch.ErrorCode, 0);
    const batched = await gus.push('message', (f) => f.data!.message.body[0]?.MsgContent.Text === 'to many');
    assert.equal(batched.data!.message.msgKey, batch.MsgKey);
    fay.close();
    gus.close();
  });

  it('every sync push has a strictly increasing seq; online-only messages have none and are not stored', async () => {
    const hal = await fx.login('hal');
    const ida = await fx.login('ida');
    await ida.push('synced');
    await hal.call('send', sendData('ida', 'typing…', { onlineOnly: true }));
    const live = await ida.push('message', (f) => f.data!.onlineOnly === true);
    assert.equal(live.seq, undefined);
    await hal.call('send', sendData('ida', 'stored'));
    await ida.push('message', (f) => f.data!.message.body[0].MsgContent.Text === 'stored');
    const page = await ida.call('messages', { peer: 'hal' });
    assert.deepEqual(
      page.messages.map((m: { body: { MsgContent: { Text: string } }[] }) => m.body[0]!.MsgContent.Text),
      ['stored'],
    );
    const seqs = ida.frames.filter((f) => f.seq !== undefined).map((f) => Number(f.seq));
    assert.deepEqual(
      [...seqs].sort((a, b) => a - b),
      seqs,
    );
    hal.close();
    ida.close();
  });

  it('keeps no sync log for users who never connected a device', async () => {
    const sent = await fx.rest('sendmsg', {
      From_Account: 'admin',
      To_Account: 'ben',
      MsgRandom: 1,
      MsgBody: text('x'),
    });
    assert.equal(sent.ErrorCode, 0);
    const count = async (user: string) =>
      (
        await fx.server.store.inspect<{ n: number }>('SELECT count(*) AS n FROM sync_events WHERE user_id = ?', user)
      )[0]!.n;
    assert.equal(await count('admin'), 0, 'the admin never connected: no entry for its copy');
    assert.ok((await count('ben')) > 0, 'ben has connected: his copy is logged');
  });

  it('SyncOtherMachine 2 keeps a send off the sender’s other devices', async () => {
    const jon = await fx.login('jon');
    const jonOther = await fx.login('jon');
    const kay = await fx.login('kay');
    await Promise.all([jonOther.push('synced'), kay.push('synced')]);
    await jon.call('send', sendData('kay', 'quiet', { syncOtherMachine: 2 }));
    await kay.push('message');
    await jon.call('send', sendData('kay', 'loud'));
    const mirrored = await jonOther.push('message');
    assert.equal(mirrored.data!.message.body[0].MsgContent.Text, 'loud');
    assert.equal(jonOther.pushes('message').length, 1);
    jon.close();
    jonOther.close();
    kay.close();
  });
});
