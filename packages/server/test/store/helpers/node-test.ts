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
/** A hook body. */
export type HookFn = () => void | Promise<void>;

/** `node:test` `describe`. */
export function describe(name: string, fn: SuiteFn): void {
  void nodeTest.describe(name, fn);
}
/** `node:test` `it`, optionally with options (e.g. a timeout) before the body. */
export function it(name: string, fn: TestFn): void;
export function it(name: string, options: { timeout?: number }, fn: TestFn): void;
export function it(name: string, a: TestFn | { timeout?: number }, b?: TestFn): void {
  if (typeof a === 'function') void nodeTest.it(name, a);
  else void nodeTest.it(name, a, b);
}
/** `node:test` `before`. */
export const before: (fn: HookFn) => void = nodeTest.before;
/** `node:test` `after`. */
export const after: (fn: HookFn) => void = nodeTest.after;
/** `node:test` `beforeEach`. */
export const beforeEach: (fn: HookFn) => void = nodeTest.beforeEach;
/** `node:test` `afterEach`. */
export const afterEach: (fn: HookFn) => void = nodeTest.afterEach;
