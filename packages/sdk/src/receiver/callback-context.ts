import type { CallbackRequest } from './callback-request.ts';
import type { OptPlatform } from './opt-platform.ts';

/** What a handler knows about the callback besides its body. */
export interface CallbackContext<C extends string = string> {
  /** The `CallbackCommand`. */
  command: C;
  /** The app's SDKAppID (`SdkAppid` in the URL, already checked). */
  sdkAppId: number;
  /** `ClientIP` from the URL: the address of the client that caused the event. */
  clientIp: string | undefined;
  /** `OptPlatform` from the URL, normalised (`macOS` → `Mac`, `IOS` → `iOS`, any case). */
  optPlatform: OptPlatform | undefined;
  /** `OptPlatform` exactly as sent. */
  rawOptPlatform: string | undefined;
  /** `RequestTime` from the URL (Unix seconds), when the sender signs with a token. */
  requestTime: number | undefined;
  /** Readwire's event id (`X-Readwire-Event-Id`, else `webhook-id`): stable across retries. Tencent sends none. */
  eventId: string | undefined;
  /** Readwire's delivery attempt number (`X-Readwire-Attempt`, 1 = first). */
  attempt: number | undefined;
  /** The request as the adapter passed it. */
  request: CallbackRequest;
}
