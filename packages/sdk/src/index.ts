/**
 * `@readwire/sdk`: what an app backend needs to work with Readwire or Tencent Cloud IM.
 * @module
 */
export * from './usersig/index.ts';
