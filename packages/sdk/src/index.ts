/**
 * `@readwire/sdk`: what an app backend needs to work with Readwire or Tencent Cloud IM — UserSig generation
 * and verification, callback signing primitives, and (in later modules) the callback receiver and REST client.
 * @module
 */
export * from './usersig/index.ts';
export * from './crypto/index.ts';
export * from './errors/index.ts';
export * from './receiver/index.ts';
export * from './rest/index.ts';
