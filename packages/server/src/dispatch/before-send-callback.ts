import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { AppRuntime } from '../core/app-registry.ts';
import type { BeforeSendDecision, BeforeSendHook } from '../core/before-send-hook.ts';
import type { MsgElem, NewMessage } from '../domain/types.ts';
import { buildCallbackRequest } from './callback-request.ts';
import { sendCallback, type SendResult } from './callback-sender.ts';
import type { DispatchLog } from './dispatch-log.ts';
import type { DispatchMetrics } from './dispatch-metrics.ts';
import type { Endpoint } from './endpoint.ts';

/** Tencent's fixed timeout of `C2C.CallbackBeforeSendMsg` (an app's shorter `timeoutMs` applies if set). */
export const BEFORE_SEND_TIMEOUT_MS = 2_000;

const COMMAND = 'C2C.CallbackBeforeSendMsg';
const ALLOW: BeforeSendDecision = { action: 'allow' };

function isMsgBody(value: unknown): value is MsgElem[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (e) =>
        e !== null &&
        typeof e === 'object' &&
        typeof (e as MsgElem).MsgType === 'string' &&
        (e as MsgElem).MsgContent !== null &&
        typeof (e as MsgElem).MsgContent === 'object',
    )
  );
}

/**
 * Tencent's semantics of the answer: `ErrorCode` 0 allows (optionally replacing `MsgBody` / `CloudCustomData`),
 * 1 refuses (the sender gets 20006), 2 drops silently (the sender sees success), 120001–130000 refuse with that code
 * and `ErrorInfo` passed to the sender. A failed call (timeout, non-200, not JSON) and any other code allow.
 */
export function decideBeforeSend(result: SendResult): BeforeSendDecision {
  if (!result.ok || !result.json) return ALLOW;
  const code = result.errorCode;
  const info = result.errorInfo ?? '';
  if (code === 1 || (code !== undefined && code >= 120001 && code <= 130000)) {
    return { action: 'refuse', errorCode: code, errorInfo: info };
  }
  if (code === 2) return { action: 'drop' };
  if (code !== 0) return ALLOW;
  const body = result.json.MsgBody;
  const ccd = result.json.CloudCustomData;
  return {
    action: 'allow',
    body: isMsgBody(body) ? body : undefined,
    cloudCustomData: typeof ccd === 'string' ? ccd : undefined,
  };
}

/** What the hook needs. */
export interface BeforeSendDeps {
  agent: Dispatcher;
  endpointFor(url: string): Endpoint;
  metrics: DispatchMetrics;
  log: DispatchLog;
}

/**
 * The synchronous `C2C.CallbackBeforeSendMsg`, asked before a message is stored: same URL, query, signatures and
 * SSRF guard as the outbox callbacks, a fresh event id, a 2 s timeout. It goes through its own agent (so a backlog
 * of asynchronous callbacks never queues it) and skips the call — allowing the message — while the endpoint's
 * circuit breaker is open, so a dead backend costs senders nothing rather than 2 s each.
 */
export function createBeforeSendHook(deps: BeforeSendDeps): BeforeSendHook {
  return async (app: AppRuntime, to: string, message: NewMessage): Promise<BeforeSendDecision> => {
    const config = app.callback;
    if (!config) return ALLOW;
    const ep = deps.endpointFor(config.url);
    if (ep.breaker.allowance() <= 0) {
      deps.metrics.beforeSend.inc({ outcome: 'skipped' });
      return ALLOW;
    }
    const now = Date.now();
    const body = JSON.stringify({
      CallbackCommand: COMMAND,
      From_Account: message.from,
      To_Account: to,
      MsgSeq: message.msgSeq,
      MsgRandom: message.msgRandom,
      MsgTime: Math.floor(now / 1000),
      OnlineOnlyFlag: message.onlineOnly ? 1 : 0,
      MsgBody: message.body,
      CloudCustomData: message.cloudCustomData ?? '',
      EventTime: now,
    });
    const event = { eventId: randomUUID(), command: COMMAND, body, attempt: 1, ...message.origin };
    const req = await buildCallbackRequest(config, app.sdkAppId, event, now);
    ep.begin();
    const result = await sendCallback(deps.agent, req, Math.min(config.timeoutMs, BEFORE_SEND_TIMEOUT_MS)).result;
    ep.finish(result.ok);
    if (!result.ok) deps.log.debug({ error: result.error, url: req.url }, 'before-send callback failed: message sent');
    const decision = decideBeforeSend(result);
    deps.metrics.beforeSend.inc({ outcome: result.ok ? decision.action : 'failed' });
    return decision;
  };
}
