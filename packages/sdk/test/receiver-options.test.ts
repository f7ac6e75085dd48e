/** Delivery options of the receiver (ackFirst, dedupe), option validation and OptPlatform normalisation. */
import assert from 'node:assert/strict';
import {
  createCallbackReceiver,
  createMemoryDedupeStore,
  dropMessage,
  normalizeOptPlatform,
  SdkOptionsError,
} from '../src/index.ts';
import { beforeSendBody, envelope, reportBody, SDKAPPID } from './helpers/callback-fixtures.ts';
import { describe, it } from 'node:test';
import { receiver, send } from './helpers/receiver-harness.ts';

describe('ackFirst and dedupe', () => {
  it('ackFirst answers before the handler runs and exposes the background work', async () => {
    const errors: unknown[] = [];
    const r = receiver({ ackFirst: true, logger: { error: (m: string) => void errors.push(m) } });
    let ran = false;
    r.on('C2C.CallbackAfterMsgReport', () => {
      ran = true;
      throw new Error('late failure');
    });
    const res = await send(r, reportBody());
    assert.equal(res.status, 200);
    assert.equal(ran, false);
    await res.background;
    assert.equal(ran, true);
    assert.deepEqual(errors, ['callback handler failed after acknowledging']);
  });

  it('ackFirst does not apply to before-callbacks', async () => {
    const r = receiver({ ackFirst: true });
    r.on('C2C.CallbackBeforeSendMsg', () => dropMessage());
    const res = await send(r, beforeSendBody());
    assert.equal(envelope(res.body).ErrorCode, 2);
    assert.equal(res.background, undefined);
  });

  it('dedupe runs handlers once per event id and again after a failure', async () => {
    const r = receiver({ dedupe: true });
    let calls = 0;
    let fail = true;
    r.on('C2C.CallbackAfterMsgReport', () => {
      calls++;
      if (fail) throw new Error('first attempt fails');
    });
    const headers = { 'x-readwire-event-id': 'evt_1' };
    assert.equal((await send(r, reportBody(), headers)).status, 500);
    fail = false;
    assert.equal((await send(r, reportBody(), { ...headers, 'x-readwire-attempt': '2' })).status, 200);
    assert.equal((await send(r, reportBody(), { ...headers, 'x-readwire-attempt': '3' })).status, 200);
    assert.equal((await send(r, reportBody(), { 'x-readwire-event-id': 'evt_2' })).status, 200);
    assert.equal((await send(r, reportBody())).status, 200); // no id: always handled
    assert.equal(calls, 4);
  });

  it('the memory store forgets ids after the TTL and beyond maxEntries', async () => {
    let t = 0;
    const store = createMemoryDedupeStore({ maxEntries: 2, now: () => t });
    assert.equal(store.claim('a', 100), true);
    assert.equal(store.claim('a', 100), false);
    t = 101;
    assert.equal(store.claim('a', 100), true);
    assert.equal(store.claim('b', 100), true);
    assert.equal(store.claim('c', 100), true);
    assert.equal(store.claim('a', 100), true); // evicted as the oldest
    await store.release('c');
    assert.equal(store.claim('c', 100), true);
  });

  it('uses a custom store', async () => {
    const claimed: string[] = [];
    const r = receiver({
      dedupe: { store: { claim: async (id) => (claimed.push(id), Promise.resolve(true)), release: () => undefined } },
    });
    await send(r, reportBody(), { 'x-readwire-event-id': 'evt_9' });
    assert.deepEqual(claimed, ['evt_9']);
  });
});

describe('options and helpers', () => {
  it('validates options', () => {
    assert.throws(() => createCallbackReceiver({ sdkAppId: 0 }), SdkOptionsError);
    assert.throws(() => createCallbackReceiver({ sdkAppId: SDKAPPID, tokens: [''] }), SdkOptionsError);
    assert.throws(() => createCallbackReceiver({ sdkAppId: SDKAPPID, signingSecrets: 'whsec_%%' }), /signingSecrets/);
    assert.throws(() => createCallbackReceiver({ sdkAppId: SDKAPPID, maxBodyBytes: -1 }), /maxBodyBytes/);
  });

  it('normalises OptPlatform', () => {
    const cases: [string | undefined, string | undefined][] = [
      ['RESTAPI', 'RESTAPI'],
      ['ios', 'iOS'],
      ['IOS', 'iOS'],
      ['macOS', 'Mac'],
      ['MAC', 'Mac'],
      ['iPad', 'iPad'],
      ['Unkown', 'Unknown'],
      ['Symbian', 'Unknown'],
      ['', undefined],
      [undefined, undefined],
    ];
    for (const [raw, expected] of cases) assert.equal(normalizeOptPlatform(raw), expected, raw);
  });
});
