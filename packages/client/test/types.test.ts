/**
 * Type-level checks of the public API (checked by `tsc -p tsconfig.test.json` in `npm run lint`); the runtime part
 * only makes sure the file is a valid test.
 * @module
 */
import assert from 'node:assert/strict';
import { ReadwireClient, ReadwireError, type ClientEvents, type PeerReadEvent } from '../src/index.ts';
import { describe, it } from 'node:test';

function typeChecks(client: ReadwireClient): void {
  client.on('peerRead', (e) => {
    const receipt: PeerReadEvent = e;
    const seconds: number = e.readTime;
    void receipt;
    void seconds;
  });
  client.on('message', ({ message, unread }) => {
    const key: string = message.msgKey;
    const total: number | undefined = unread?.total;
    void key;
    void total;
  });
  client.on('error', (e) => {
    const code: number = e.code;
    void code;
  });
  // @ts-expect-error: not an event
  client.on('nope', () => undefined);
  // @ts-expect-error: a peerRead listener gets a PeerReadEvent, not a string
  client.on('peerRead', (e: string) => void e);
  // @ts-expect-error: the platform must be one of Tencent's client platforms
  void new ReadwireClient({ url: '', sdkAppId: 1, userId: 'u', userSig: 's', platform: 'PlayStation' });
  const args: ClientEvents['unread'][0] = { peer: 'p', readTime: 1, unread: { peer: 'p', conversation: 0, total: 0 } };
  void args;
}

describe('types', () => {
  it('exports a typed client and error', () => {
    assert.equal(typeof typeChecks, 'function');
    assert.equal(new ReadwireError('server', 70001, 'x').code, 70001);
  });
});
