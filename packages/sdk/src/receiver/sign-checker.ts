import { timingSafeEqual, utf8 } from '../crypto/bytes.ts';
import { tencentCallbackSign } from '../crypto/tencent-callback-sign.ts';
import { CallbackError } from '../errors/sdk-error.ts';

/** Expected `Sign` values per `RequestTime` kept; `RequestTime` only changes once a second. */
const CACHE_MAX_ENTRIES = 16;
const REQUEST_TIME = /^\d{1,12}$/;

/**
 * Checks Tencent's `Sign = sha256(token + RequestTime)` against every configured token (rotation) and the
 * `RequestTime` window, in both directions. The expected signatures of recent in-window `RequestTime`s are
 * cached, so a burst of callbacks within one second costs one SHA-256 per token.
 */
export class SignChecker {
  readonly #tokens: readonly string[];
  readonly #windowSeconds: number;
  readonly #cache = new Map<string, Promise<Uint8Array[]>>();

  constructor(tokens: readonly string[], windowSeconds: number) {
    this.#tokens = tokens;
    this.#windowSeconds = windowSeconds;
  }

  /** Throws a `CallbackError` unless `sign` and `requestTime` are valid at `nowSeconds`; returns the time. */
  async check(sign: string | undefined, requestTime: string | undefined, nowSeconds: number): Promise<number> {
    if (!sign || !requestTime) throw new CallbackError('SIGN_MISSING');
    if (!REQUEST_TIME.test(requestTime)) throw new CallbackError('REQUEST_TIME_INVALID');
    const time = Number(requestTime);
    const inWindow = Math.abs(nowSeconds - time) <= this.#windowSeconds;
    const given = utf8(sign.toLowerCase());
    let matched = false;
    for (const expected of await this.#expected(requestTime, inWindow)) {
      if (timingSafeEqual(given, expected)) matched = true;
    }
    if (!matched) throw new CallbackError('SIGN_MISMATCH');
    if (!inWindow) {
      const reason = `RequestTime ${time} is ${nowSeconds - time} s from now (window ${this.#windowSeconds} s)`;
      throw new CallbackError('REQUEST_TIME_OUT_OF_WINDOW', reason);
    }
    return time;
  }

  #expected(requestTime: string, cacheable: boolean): Promise<Uint8Array[]> {
    const cached = this.#cache.get(requestTime);
    if (cached) return cached;
    const computed = Promise.all(
      this.#tokens.map(async (token) => utf8(await tencentCallbackSign(token, requestTime))),
    );
    if (cacheable) {
      if (this.#cache.size >= CACHE_MAX_ENTRIES) {
        const oldest = this.#cache.keys().next();
        if (!oldest.done) this.#cache.delete(oldest.value);
      }
      this.#cache.set(requestTime, computed);
    }
    return computed;
  }
}
