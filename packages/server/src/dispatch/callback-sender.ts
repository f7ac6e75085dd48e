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
  /** The first `EXCERPT_CHARS` characters of the response body, when there was one. */
  excerpt?: string | undefined;
}

/** Characters of a response body kept as its excerpt (for the console's attempt list). */
export const EXCERPT_CHARS = 512;

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

/** What a complete response means; `latencyMs` is filled in when the attempt settles. */
function interpret(status: number, text: string, headers: Record<string, string | string[] | undefined>): SendResult {
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
  const excerpt = text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text;
  if (status === 200 && json) return { ok: true, status, json, errorCode, errorInfo, latencyMs: 0, excerpt };
  const error = status !== 200 ? `HTTP ${status}` : 'response body is not a JSON object';
  const retryAfter = status === 429 || status === 503 ? retryAfterMs(headers['retry-after']) : undefined;
  return { ok: false, status, json, errorCode, errorInfo, error, retryAfterMs: retryAfter, latencyMs: 0, excerpt };
}

function describe(error: Error & { code?: string }): string {
  if (error.name === 'PrivateAddressError') return error.message;
  if (error.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'response body too large';
  const code = error.code && !error.message.includes(error.code) ? `${error.code}: ` : '';
  return `${code}${error.message}`;
}

/** Collects one response (status, headers, body) and settles the attempt exactly once. */
class AttemptHandler implements Dispatcher.DispatchHandler {
  readonly result: Promise<SendResult>;
  private resolve!: (r: SendResult) => void;
  private done = false;
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: Error | undefined;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly chunks: Buffer[] = [];
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    this.result = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.stop(`timeout after ${timeoutMs} ms`, false), timeoutMs);
  }

  /** Ends the attempt now (timeout or shutdown) and aborts the request, closing its socket. */
  stop(reason: string, aborted: boolean): void {
    this.finish({ ok: false, error: reason, aborted: aborted || undefined, latencyMs: 0 });
    this.abortReason = new Error(reason);
    this.controller?.abort(this.abortReason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const c = this.chunks;
    const text = c.length === 1 ? c[0]!.toString('utf8') : Buffer.concat(c).toString('utf8');
    this.finish(interpret(this.status, text, this.headers));
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error & { code?: string }): void {
    this.fail(error);
  }

  /** The request failed (connection, protocol, or the dispatcher refused it). */
  fail(error: Error & { code?: string }): void {
    this.finish({ ok: false, status: this.status || undefined, error: describe(error), latencyMs: 0 });
  }

  /** Settles the attempt once; `r` is this attempt's own object, completed with the latency. */
  private finish(r: SendResult): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    r.latencyMs = performance.now() - this.started;
    this.resolve(r);
  }
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
  const handler = new AttemptHandler(timeoutMs);
  const options: Dispatcher.DispatchOptions = {
    origin: req.origin,
    path: req.path,
    method: 'POST',
    headers: req.headers,
    body: req.body,
    // Pipelining a POST requires declaring it safe to resend; callbacks are (receivers dedupe by event id).
    idempotent: pipelined,
    blocking: !pipelined,
  };
  try {
    dispatcher.dispatch(options, handler);
  } catch (error) {
    handler.fail(error as Error);
  }
  return { result: handler.result, abort: (reason) => handler.stop(reason, true) };
}
