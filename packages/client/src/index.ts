/**
 * `@readwire/client`: the end-user client of a Readwire server's WebSocket gateway, for browsers and Node — log in
 * with a UserSig, send, mark conversations read, list conversations and messages, and receive live events, with
 * automatic reconnect and resume.
 *
 * @example
 * ```ts
 * import { ReadwireClient } from '@readwire/client';
 *
 * const client = new ReadwireClient({ url, sdkAppId, userId: 'alice', userSig, platform: 'Web' });
 * client.on('peerRead', ({ peer, readTime }) => console.log(`${peer} read up to ${readTime}`));
 * await client.connect();
 * await client.send('bob', 'hello');
 * ```
 * @module
 */
export { ReadwireClient } from './readwire-client.ts';
export type { SendOptions } from './send-options.ts';
export type { ReadwireClientOptions, ClientEvents, ClientState } from './client-options.ts';
export { ReadwireError, type ReadwireErrorKind } from './readwire-error.ts';
export type { WebSocketLike, WebSocketConstructor } from './web-socket-factory.ts';
export type { Listener } from './typed-emitter.ts';
export type * from './wire-types.ts';
