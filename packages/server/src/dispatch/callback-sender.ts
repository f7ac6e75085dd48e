import type { Dispatcher } from 'undici';
import type { CallbackRequest } from './callback-request.ts';

/** What one attempt observed. Success is exactly: HTTP 200 and a JSON object body. */
export interface SendResult {
  ok: boolean;
  status?: number | undefined;
  /** Parsed JSON body (an object) when there was one. */
  json?: Record<string, unknown> | undefined;
  errorCode?: number | undefined;
  errorInfo?: string | undefined;
  /** Why the attempt failed. */
  error?: string | undefined;
  latencyMs: number;
  /** From a `Retry-After` header on 429/503, in ms. */
  retryAfterMs?: number | undefined;
  /** Aborted by `abort()` (shutdown), not by the timeout. */
  aborted?: boolean | undefined;
}

/** A started attempt: its result (never rejects) and a way to abort it. */
export interface InFlightSend {
  result: Promise<SendResult>;
  abort(reason: string): void;
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function interpret(status: number, text: string, headers: Record<string, string | string[] | undefined>) {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    // not JSON
  }
  const errorCode = typeof json?.ErrorCode === 'number' ? json.ErrorCode : undefined;
  const errorInfo = typeof json?.ErrorInfo === 'string' ? json.ErrorInfo : undefined;
  const base = { status, json, errorCode, errorInfo };
  if (status === 200 && json) return { ...base, ok: true };
  const error = status !== 200 ? `HTTP ${status}` : 'response body is not a JSON object';
  const ra = status === 429 || status === 503 ? retryAfterMs(headers['retry-after']) : undefined;
  return { ...base, ok: false, error, retryAfterMs: ra };
}

function describe(error: Error & { code?: string }): string {
  if (error.name === 'PrivateAddressError') return error.message;
  if (error.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'response body too large';
  const code = error.code && !error.message.includes(error.code) ? `${error.code}: ` : '';
  return `${code}${error.message}`;
}

/**
 * Sends one callback through an undici dispatcher with the low-level `dispatch` API (no response stream objects:
 * the body is collected into a string, bounded by the agent's `maxResponseSize`). The overall timeout covers
 * connect, request and response; when it fires the request is aborted (its socket closed). Never rejects.
 */
export function sendCallback(
  dispatcher: Dispatcher,
  req: CallbackRequest,
  timeoutMs: number,
  pipelined = false,
): InFlightSend {
  const started = performance.now();
  let controller: Dispatcher.DispatchController | undefined;
  let pendingAbort: Error | undefined;
  let finish!: (r: Omit<SendResult, 'latencyMs'>) => void;
  const result = new Promise<SendResult>((resolve) => {
    let done = false;
    finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: performance.now() - started });
    };
  });
  const abort = (error: Error) => {
    pendingAbort = error;
    controller?.abort(error);
  };
  const timer = setTimeout(() => {
    abort(new Error(`timeout after ${timeoutMs} ms`));
    finish({ ok: false, error: `timeout after ${timeoutMs} ms` });
  }, timeoutMs);
  let status = 0;
  let headers: Record<string, string | string[] | undefined> = {};
  const chunks: Buffer[] = [];
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (pendingAbort) c.abort(pendingAbort);
    },
    onResponseStart(_c, statusCode, h) {
      status = statusCode;
      headers = h;
    },
    onResponseData(_c, chunk) {
      chunks.push(chunk);
    },
    onResponseEnd() {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      finish(interpret(status, text, headers));
    },
    onResponseError(_c, error: Error & { code?: string }) {
      finish({ ok: false, status: status || undefined, error: describe(error) });
    },
  };
  dispatcher.dispatch(
    {
      origin: req.origin,
      path: req.path,
      method: 'POST',
      headers: req.headers,
      body: req.body,
      // Pipelining a POST requires declaring it safe to resend; callbacks are (receivers dedupe by event id).
      idempotent: pipelined,
      blocking: !pipelined,
    },
    handler,
  );
  return {
    result,
    abort(reason: string) {
      abort(new Error(reason));
      finish({ ok: false, error: reason, aborted: true });
    },
  };
}
