import { ImError } from '../errors/im-error.ts';

/** The id a client gave its request (echoed in the reply); `null` for a frame whose id could not be read. */
export type RequestId = string | number | null;

/** Server → client: the answer to one request. */
export type ReplyFrame =
  | { type: 'reply'; id: RequestId; ok: true; data: Record<string, unknown> }
  | { type: 'reply'; id: RequestId; ok: false; error: { code: number; info: string } };

/** Server → client: something happened. `seq` (a decimal string) is set on entries of the sync log, the resume cursor. */
export interface PushFrame {
  type: 'push';
  event: string;
  seq?: string;
  data: Record<string, unknown>;
}

/** A success reply, serialized. */
export function okReply(id: RequestId, data: Record<string, unknown>): string {
  return JSON.stringify({ type: 'reply', id, ok: true, data } satisfies ReplyFrame);
}

/** A failure reply, serialized: an `ImError`'s Tencent code and message, or 91000 for anything else. */
export function errorReply(id: RequestId, error: unknown): string {
  const e =
    error instanceof ImError
      ? { code: error.errorCode, info: error.message }
      : { code: 91000, info: 'internal server error' };
  return JSON.stringify({ type: 'reply', id, ok: false, error: e } satisfies ReplyFrame);
}

/** A push, serialized. */
export function pushFrame(event: string, data: Record<string, unknown>, seq?: number): string {
  const frame: PushFrame =
    seq === undefined ? { type: 'push', event, data } : { type: 'push', event, seq: String(seq), data };
  return JSON.stringify(frame);
}
