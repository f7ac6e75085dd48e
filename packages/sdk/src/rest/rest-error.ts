import type { RestErrorCode } from '../errors/error-catalog.ts';
import { SdkError } from '../errors/sdk-error.ts';

/** Details of a {@link RestError}. */
export interface RestErrorDetails {
  /** `service/command` that failed. */
  endpoint: string;
  /** Tencent `ErrorCode` of a `FAIL` answer. */
  ErrorCode?: number;
  /** Tencent `ErrorInfo` of a `FAIL` answer. */
  ErrorInfo?: string;
  /** HTTP status, when an answer arrived. */
  httpStatus?: number;
  /** The parsed answer, when it was JSON. */
  response?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * A REST call that failed: `code` says how (`REST_FAILED` = the API answered `ActionStatus: "FAIL"`, then
 * `ErrorCode`/`ErrorInfo` are Tencent's; `REST_HTTP_STATUS`, `REST_BAD_RESPONSE`, `REST_TIMEOUT`,
 * `REST_NETWORK` = no usable answer).
 */
export class RestError extends SdkError {
  declare readonly code: RestErrorCode;
  readonly endpoint: string;
  readonly ErrorCode: number | undefined;
  readonly ErrorInfo: string | undefined;
  readonly httpStatus: number | undefined;
  readonly response: Record<string, unknown> | undefined;

  constructor(code: RestErrorCode, message: string, details: RestErrorDetails) {
    super(code, `${details.endpoint}: ${message}`, { cause: details.cause });
    this.name = 'RestError';
    this.endpoint = details.endpoint;
    this.ErrorCode = details.ErrorCode;
    this.ErrorInfo = details.ErrorInfo;
    this.httpStatus = details.httpStatus;
    this.response = details.response;
  }
}
