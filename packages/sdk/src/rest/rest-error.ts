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
  /** How the call failed. */
  declare readonly code: RestErrorCode;
  /** `service/command` that failed. */
  readonly endpoint: string;
  /** Tencent `ErrorCode` of a `FAIL` answer (e.g. 70107, 90054); `undefined` when no envelope arrived. */
  readonly ErrorCode: number | undefined;
  /** Tencent `ErrorInfo` of a `FAIL` answer. */
  readonly ErrorInfo: string | undefined;
  /** HTTP status, when an answer arrived. */
  readonly httpStatus: number | undefined;
  /** The parsed answer, when it was JSON. */
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
