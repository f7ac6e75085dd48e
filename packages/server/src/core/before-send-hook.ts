import type { MsgElem, NewMessage } from '../domain/types.ts';
import type { AppRuntime } from './app-registry.ts';

/** What the app backend decided in `C2C.CallbackBeforeSendMsg`. */
export type BeforeSendDecision =
  | { action: 'allow'; body?: MsgElem[] | undefined; cloudCustomData?: string | undefined }
  | { action: 'refuse'; errorCode: number; errorInfo: string }
  | { action: 'drop' };

/**
 * Asks the app backend before a message is stored (synchronous callback, Tencent semantics: on timeout or failure
 * the message is sent). Implemented by the dispatcher; the default allows everything.
 */
export type BeforeSendHook = (app: AppRuntime, to: string, message: NewMessage) => Promise<BeforeSendDecision>;

/** The hook used when no dispatcher is attached. */
export const allowAll: BeforeSendHook = () => Promise.resolve({ action: 'allow' });
