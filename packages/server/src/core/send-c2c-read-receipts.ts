import type { ReadReceiptRequest, ReadReceiptResult } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';
import { enabledCallbacks } from './callback-planner.ts';
import type { Services } from './services.ts';

/** Most messages one read-receipt request may acknowledge (Tencent does not document a limit; this is Readwire's). */
export const MAX_RECEIPT_MESSAGES = 100;

/**
 * Per-message read receipts (REST `c2c_msg_read_receipt` or a client's `readReceipt`): stamps the messages and, in
 * the same transaction, writes `C2C.CallbackAfterMsgReadReceipt` and the sender's live `readReceipt` entry (the
 * sync log carries it to the sender's devices as it commits). A repeated receipt changes nothing and reports nothing.
 */
export function sendC2cReadReceipts(
  services: Services,
  app: AppRuntime,
  request: ReadReceiptRequest,
): Promise<ReadReceiptResult> {
  return services.store.setReadReceipts(app.sdkAppId, request, {
    effects: { kind: 'receipt', enabledCallbacks: enabledCallbacks(app), origin: request.origin },
  });
}
