import { ImError } from '../errors/im-error.ts';

/** A Tencent REST response: `ActionStatus`, `ErrorCode`, `ErrorInfo`, then the command's own fields. */
export type Envelope = { ActionStatus: 'OK' | 'FAIL'; ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;

/** A success envelope with `fields`. */
export function okEnvelope(fields: Record<string, unknown>): Envelope {
  return { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ...fields };
}

/** The failure envelope for an error; anything that is not an `ImError` is an internal error (91000). */
export function errorEnvelope(error: unknown): Envelope {
  if (error instanceof ImError) {
    return { ActionStatus: 'FAIL', ErrorCode: error.errorCode, ErrorInfo: error.message, ...error.extra };
  }
  return { ActionStatus: 'FAIL', ErrorCode: 91000, ErrorInfo: 'internal server error' };
}
