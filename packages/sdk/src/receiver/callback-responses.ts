import type { CallbackError } from '../errors/sdk-error.ts';
import type { CallbackResponse } from './callback-request.ts';

const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json; charset=utf-8' };
const OK_BODY = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';
const OK_LENGTH = String(OK_BODY.length);

/** `200 {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}` (its length is known, so it is sent along). */
export function okResponse(): CallbackResponse {
  const headers = { 'content-type': JSON_HEADERS['content-type'] as string, 'content-length': OK_LENGTH };
  return { status: 200, headers, body: OK_BODY };
}

/** `200` with a handler's reply fields (`ErrorCode`, `ErrorInfo`, replacement fields) in the envelope. */
export function replyResponse(reply: { ErrorCode: number; ErrorInfo?: string }): CallbackResponse {
  const { ErrorCode, ErrorInfo, ...extra } = reply;
  const body = JSON.stringify({ ActionStatus: 'OK', ErrorCode, ErrorInfo: ErrorInfo ?? '', ...extra });
  return { status: 200, headers: { ...JSON_HEADERS }, body };
}

/** The error's status with `{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"[CODE] reason"}`. */
export function errorResponse(error: CallbackError): CallbackResponse {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (error.code === 'METHOD_NOT_ALLOWED') headers.allow = 'POST';
  const body = JSON.stringify({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: `[${error.code}] ${error.reason}` });
  return { status: error.status, headers, body };
}
