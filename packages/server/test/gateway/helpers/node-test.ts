/**
 * `node:test`'s `describe`/`it`, typed as returning `void` (the runner tracks their promises; type-checked lint would
 * otherwise flag each call as a floating promise).
 * @module
 */
import * as nodeTest from 'node:test';

/** `node:test` `describe`. */
export function describe(name: string, fn: () => void): void {
  void nodeTest.describe(name, fn);
}
/** `node:test` `it`. */
export function it(
  name: string,
  fn: (t: nodeTest.TestContext) => void | Promise<void>,
  options?: { timeout?: number },
): void {
  void nodeTest.it(name, { timeout: 30_000, ...options }, fn);
}
/** `node:test` `before`. */
export const before: (fn: () => void | Promise<void>) => void = nodeTest.before;
/** `node:test` `after`. */
export const after: (fn: () => void | Promise<void>) => void = nodeTest.after;
