import { ErrorCatalog, type ErrorName } from './error-catalog.ts';

/**
 * An application error that becomes a Tencent envelope `{"ActionStatus":"FAIL","ErrorCode","ErrorInfo"}`.
 * `name` is the stable catalog name; `errorCode` the Tencent number.
 */
export class ImError extends Error {
  override readonly name = 'ImError';
  readonly code: ErrorName;
  readonly errorCode: number;
  /** Extra response fields returned next to the envelope (e.g. `ErrorList`). */
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorName, info?: string, options?: { cause?: unknown; extra?: Record<string, unknown> }) {
    super(info ?? ErrorCatalog[code].info, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.errorCode = ErrorCatalog[code].code;
    this.extra = options?.extra;
  }
}

/** An `ImError` carrying an arbitrary numeric code (e.g. a 120001–130000 code from a before-callback). */
export class ImCustomError extends ImError {
  override readonly errorCode: number;
  constructor(errorCode: number, info: string) {
    super('SEND_REFUSED_BY_CALLBACK', info);
    this.errorCode = errorCode;
  }
}
