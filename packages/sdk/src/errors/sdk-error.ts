import { SdkErrorCatalog, type CallbackErrorCode, type SdkErrorCode } from './error-catalog.ts';

/** Base class of every error the SDK throws or reports; `code` is stable (see `SdkErrorCatalog`). */
export class SdkError extends Error {
  /** Stable machine-readable code. */
  readonly code: SdkErrorCode;

  constructor(code: SdkErrorCode, message?: string, options?: ErrorOptions) {
    super(`[@readwire/sdk] ${code}: ${message ?? SdkErrorCatalog[code].info}`, options);
    this.name = 'SdkError';
    this.code = code;
  }
}

/**
 * A callback request the receiver refused (verification or payload), or a handler that failed.
 * `status` is the HTTP status answered; `ErrorInfo` of the answer is `[code] message`.
 */
export class CallbackError extends SdkError {
  declare readonly code: CallbackErrorCode;
  /** HTTP status the receiver answers with. */
  readonly status: number;
  /** The reason without the package prefix, as put in `ErrorInfo`. */
  readonly reason: string;

  constructor(code: CallbackErrorCode, message?: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'CallbackError';
    this.status = SdkErrorCatalog[code].status;
    this.reason = message ?? SdkErrorCatalog[code].info;
  }
}

/** Invalid options passed to an SDK factory (a programming error, thrown synchronously). */
export class SdkOptionsError extends SdkError {
  constructor(message: string) {
    super('INVALID_OPTIONS', message);
    this.name = 'SdkOptionsError';
  }
}
