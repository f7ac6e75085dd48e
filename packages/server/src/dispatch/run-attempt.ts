import type { Dispatcher } from 'undici';
import type { CallbackConfig } from '../config/config-schema.ts';
import { buildCallbackRequest } from './callback-request.ts';
import { sendCallback, type InFlightSend, type SendResult } from './callback-sender.ts';
import type { AttemptRecord, ClaimedEvent, SettleOutcome } from './outbox.ts';
import { nextRetryDelayMs, retryDelaysS } from './retry-schedule.ts';

/** What an attempt needs besides the event. */
export interface AttemptContext {
  agent: Dispatcher;
  pipelined: boolean;
  retryJitter: number;
  /** Called once the request is on its way, with a handle to abort it (shutdown). */
  onSend(event: ClaimedEvent, send: InFlightSend): void;
}

/** An attempt's result, its record and what becomes of the event. */
export interface AttemptResult {
  result: SendResult;
  record: AttemptRecord;
  outcome: SettleOutcome;
}

/** Decides what a failed or successful attempt means for the event (the retry schedule with jitter). */
export function outcomeOf(
  config: CallbackConfig,
  event: ClaimedEvent,
  result: SendResult,
  now: number,
  jitter: number,
): SettleOutcome {
  if (result.ok) return { kind: 'delivered' };
  if (result.aborted) return { kind: 'aborted' };
  const delay = nextRetryDelayMs(retryDelaysS(config.retry), event.scheduleAttempt, jitter, result.retryAfterMs);
  return delay === undefined ? { kind: 'dead' } : { kind: 'retry', nextAttemptAt: now + delay };
}

/**
 * One attempt of a claimed event with the app's current callback config: build the signed request, send it, and
 * decide delivered / retry / dead. Never rejects for HTTP-level failures (they are results).
 */
export async function runAttempt(
  ctx: AttemptContext,
  config: CallbackConfig,
  sdkAppId: number,
  event: ClaimedEvent,
): Promise<AttemptResult> {
  const startedAt = Date.now();
  const built = buildCallbackRequest(config, sdkAppId, event, startedAt);
  const req = built instanceof Promise ? await built : built;
  const send = sendCallback(ctx.agent, req, config.timeoutMs, ctx.pipelined);
  ctx.onSend(event, send);
  const result = await send.result;
  const record: AttemptRecord = {
    // The configured URL (Tencent's query parameters and the Sign are derivable, and would triple the row).
    url: config.url,
    startedAt,
    latencyMs: result.latencyMs,
    status: result.status,
    errorCode: result.errorCode,
    errorInfo: result.errorInfo,
    error: result.error,
  };
  return { result, record, outcome: outcomeOf(config, event, result, Date.now(), ctx.retryJitter) };
}
