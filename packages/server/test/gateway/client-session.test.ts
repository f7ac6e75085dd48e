/**
 * The transport-free protocol core: a `ClientSession` driven with frames and a fake transport, no sockets.
 * @module
 */
import assert from 'node:assert/strict';
import { genUserSig } from '@readwire/sdk';
import { UserSigVerifier } from '../../src/auth/usersig-cache.ts';
import { AppRegistry } from '../../src/core/app-registry.ts';
import { createServices } from '../../src/core/services.ts';
import { ClientSession } from '../../src/gateway/client-session.ts';
import { gatewayConfigSchema } from '../../src/gateway/gateway-config.ts';
import type { SessionTransport } from '../../src/gateway/session-transport.ts';
import { SyncHub } from '../../src/gateway/sync-hub.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { after, before, describe, it } from 'node:test';

const APP = 1400000001;
const SECRET = 'session-test-secret-key-000000';

class FakeTransport implements SessionTransport {
  sent: Record<string, any>[] = [];
  bufferedAmount = 0;
  closedWith: { code: number; reason: string } | undefined;
  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, any>);
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
}

let store: SqliteStore;
let session: ClientSession;
let transport: FakeTransport;
before(async () => {
  store = new SqliteStore({ path: ':memory:' });
  const services = createServices(
    store,
    new AppRegistry([{ sdkAppId: APP, secretKey: SECRET, admin: 'admin', restRateLimit: 0 }]),
  );
  const config = gatewayConfigSchema.parse({ maxBufferedBytes: 2048 });
  const hub = new SyncHub(store, {
    maxReplayEvents: 100,
    maxBufferedBytes: 2048,
    onError: (e) => assert.fail(String(e)),
  });
  await hub.start();
  store.committer.onCommit(() => hub.notify());
  transport = new FakeTransport();
  session = new ClientSession({ services, verifier: new UserSigVerifier(), hub, config }, transport, '192.0.2.10');
});
after(() => store.close());

/** Waits until the transport has sent `n` frames. */
async function sent(n: number): Promise<Record<string, any>[]> {
  for (let i = 0; i < 200 && transport.sent.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  return transport.sent;
}

describe('ClientSession', () => {
  it('answers a frame it cannot read without any socket involved', async () => {
    session.handleFrame('{oops', false);
    assert.deepEqual((await sent(1))[0], {
      type: 'reply',
      id: null,
      ok: false,
      error: { code: 60003, info: 'a frame must be a JSON object {"id", "op", "data"} sent as text' },
    });
  });

  it('logs in, answers first, then reports the catch-up', async () => {
    const userSig = await genUserSig({ sdkAppId: APP, secretKey: SECRET, userId: 'zoe' });
    session.handleFrame(
      JSON.stringify({ id: 'a', op: 'login', data: { sdkAppId: APP, userId: 'zoe', userSig, platform: 'Mac' } }),
      false,
    );
    const frames = await sent(3);
    assert.equal(frames[1]!.id, 'a');
    assert.equal(frames[1]!.data.platform, 'Mac');
    assert.equal(frames[2]!.event, 'synced');
    assert.equal(session.clientIp, '192.0.2.10');
  });

  it('cuts the client off instead of queueing past maxBufferedBytes', () => {
    transport.bufferedAmount = 2000;
    assert.equal(session.push('x'.repeat(100)), false);
    assert.equal(transport.closedWith?.code, 4008);
    assert.equal(session.isOpen, false);
  });
});
