/**
 * A receiver with the fixture token, and a helper that POSTs a signed callback to it without a network.
 * @module
 */
import { createCallbackReceiver, type CallbackReceiverOptions } from '../../src/index.ts';
import { callbackUrl, SDKAPPID, TOKEN } from './callback-fixtures.ts';

/** A receiver for the fixture app and token. */
export function receiver(options: Partial<CallbackReceiverOptions> = {}) {
  return createCallbackReceiver({ sdkAppId: SDKAPPID, tokens: TOKEN, ...options });
}

/** POSTs `body` (its command in the URL too), signed, to `r.handle`. */
export async function send(
  r: ReturnType<typeof receiver>,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  urlOptions: Parameters<typeof callbackUrl>[0] = {},
) {
  const url = await callbackUrl({ command: body.CallbackCommand as string, ...urlOptions });
  return r.handle({ method: 'POST', url, headers, rawBody: JSON.stringify(body) });
}
