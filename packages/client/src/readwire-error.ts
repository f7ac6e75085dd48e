/**
 * Why a request failed:
 * - `server`: the server answered with a Tencent `ErrorCode` (`code`), e.g. 90003 unknown recipient, 70001 UserSig
 *   expired, 60018 too many requests;
 * - `timeout`: no answer within `requestTimeoutMs` (the request may or may not have taken effect);
 * - `closed`: the client was closed (or gave up reconnecting) before the answer came;
 * - `kicked`: the same user logged in on more connections than the server allows, and this was the oldest
 *   (close code 4409); the client stops rather than take a slot back from the newer device.
 */
export type ReadwireErrorKind = 'server' | 'timeout' | 'closed' | 'kicked';

/** A failed request or login. */
export class ReadwireError extends Error {
  override readonly name = 'ReadwireError';
  readonly kind: ReadwireErrorKind;
  /** The Tencent `ErrorCode` for `server` errors; 0 otherwise. */
  readonly code: number;

  constructor(kind: ReadwireErrorKind, code: number, message: string) {
    super(`[@readwire/client] ${message}`);
    this.kind = kind;
    this.code = code;
  }
}

/** UserSig errors (expired, empty, invalid, wrong key, mismatched identifier/SDKAppID) and other fatal login codes. */
export function isAuthFailure(code: number): boolean {
  return (code >= 70001 && code <= 70020) || code === 60006 || code === 60025;
}
