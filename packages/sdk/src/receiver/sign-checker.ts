import { tencentCallbackSign } from '../crypto/tencent-callback-sign.ts';
import { CallbackError } from '../errors/sdk-error.ts';

/** Expected `Sign` values per `RequestTime` kept; `RequestTime` only changes once a second. */
const CACHE_MAX_ENTRIES = 16;
const REQUEST_TIME = /^\d{1,12}$/;

/**
 * Compares a given `Sign` with an expected lower-case hex one, accepting upper-case hex digits, in time that
 * depends only on the lengths (branches only look at the given value, never the expected one).
 */
function signMatches(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i++) {
    let c = given.charCodeAt(i);
    if (c >= 65 && c <= 70) c += 32; // A-F → a-f
    diff |= c ^ expected.charCodeAt(i);
  }
  return diff === 0;
}

/**
 * Checks Tencent's `Sign = sha256(token + RequestTime)` against every configured token (rotation) and the
 * `RequestTime` window, in both directions. The expected signatures of recent in-window `RequestTime`s are
 * cached, so a burst of callbacks within one second costs one SHA-256 per token, and a cached check completes
 * synchronously.
 */
export class SignChecker {
  readonly #tokens: readonly string[];
  readonly #windowSeconds: number;
  readonly #cache = new Map<string, readonly string[]>();
  readonly #pending = new Map<string, Promise<readonly string[]>>();

  constructor(tokens: readonly string[], windowSeconds: number) {
    this.#tokens = tokens;
    this.#windowSeconds = windowSeconds;
  }

  /**
   * Throws a `CallbackError` unless `sign` and `requestTime` are valid at `nowSeconds`; returns the time
   * (synchronously when the expected signatures are cached, else a promise).
   */
  check(sign: string | undefined, requestTime: string | undefined, nowSeconds: number): number | Promise<number> {
    if (!sign || !requestTime) throw new CallbackError('SIGN_MISSING');
    const cached = this.#cache.get(requestTime); // only valid RequestTimes are ever cached
    if (cached) return this.#compare(cached, sign, requestTime, nowSeconds);
    if (!REQUEST_TIME.test(requestTime)) throw new CallbackError('REQUEST_TIME_INVALID');
    let pending = this.#pending.get(requestTime);
    if (!pending) {
      pending = this.#compute(requestTime, nowSeconds).finally(() => this.#pending.delete(requestTime));
      this.#pending.set(requestTime, pending);
    }
    return pending.then((expected) => this.#compare(expected, sign, requestTime, nowSeconds));
  }

  #compare(expected: readonly string[], sign: string, requestTime: string, nowSeconds: number): number {
    let matched = false;
    for (const candidate of expected) {
      if (signMatches(sign, candidate)) matched = true;
    }
    if (!matched) throw new CallbackError('SIGN_MISMATCH');
    const time = Number(requestTime);
    if (Math.abs(nowSeconds - time) > this.#windowSeconds) {
      const reason = `RequestTime ${time} is ${nowSeconds - time} s from now (window ${this.#windowSeconds} s)`;
      throw new CallbackError('REQUEST_TIME_OUT_OF_WINDOW', reason);
    }
    return time;
  }

  async #compute(requestTime: string, nowSeconds: number): Promise<readonly string[]> {
    const expected = await Promise.all(this.#tokens.map((token) => tencentCallbackSign(token, requestTime)));
    // Only in-window times are cached, so stale or future RequestTimes cannot evict the live ones.
    if (Math.abs(nowSeconds - Number(requestTime)) <= this.#windowSeconds) {
      if (this.#cache.size >= CACHE_MAX_ENTRIES) {
        const oldest = this.#cache.keys().next();
        if (!oldest.done) this.#cache.delete(oldest.value);
      }
      this.#cache.set(requestTime, expected);
    }
    return expected;
  }
}
