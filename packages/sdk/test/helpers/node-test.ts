/**
 * `node:test`'s `describe`/`it`, typed as returning `void`: the runner tracks their promises itself, and the
 * repository's type-checked lint would otherwise flag every call as a floating promise.
 * @module
 */
import * as nodeTest from 'node:test';

/** A suite body. */
export type SuiteFn = () => void;
/** A test body. */
export type TestFn = (t: nodeTest.TestContext) => void | Promise<void>;

/** `node:test` `describe`. */
export function describe(name: string, fn: SuiteFn): void {
  void nodeTest.describe(name, fn);
}
/** `node:test` `it`. */
export function it(name: string, fn: TestFn): void {
  void nodeTest.it(name, fn);
}
/** `node:test` `before`. */
export const before: (fn: () => void | Promise<void>) => void = nodeTest.before;
/** `node:test` `after`. */
export const after: (fn: () => void | Promise<void>) => void = nodeTest.after;
/** `node:test` `mock`. */
export const mock = nodeTest.mock;
