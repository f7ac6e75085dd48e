import { ImError } from '../../errors/im-error.ts';
import type { ErrorName } from '../../errors/error-catalog.ts';
import { DatabaseLockedError } from '../sqlite/open-sqlite.ts';

/**
 * The messages between the main thread and the store thread. Every turn of the main event loop sends **one**
 * message with every call made in it (so the store commits them in one group commit), and the store thread answers
 * with one message per batch of settled calls; a commit notification rides in the same message.
 * @module
 */

/** Which object a call is for: the storage contract or the callback outbox. */
export type CallTarget = 'store' | 'outbox';

/** One call: `[id, target, method, args]`. */
export type Call = [id: number, target: CallTarget, method: string, args: unknown[]];

/** One settled call: `[id, ok, value or encoded error]`. */
export type Reply = [id: number, ok: boolean, value: unknown];

/** Main → store thread. */
export type ToStoreThread = { calls: Call[] } | { close: true };

/** Store thread → main. `commit` is the highest callback event row id after the latest commit(s). */
export type FromStoreThread =
  | { ready: true }
  | { failed: EncodedError }
  | { replies: Reply[]; commit?: number | undefined }
  | { closed: true };

/** An error as it crosses the thread boundary (structured clone keeps neither classes nor extra fields). */
export type EncodedError =
  | { kind: 'im'; code: ErrorName; info: string; extra: Record<string, unknown> | undefined }
  | { kind: 'locked'; message: string }
  | { kind: 'error'; name: string; message: string; stack: string | undefined };

/** Encodes a thrown value for the trip to the other thread. */
export function encodeError(error: unknown): EncodedError {
  if (error instanceof ImError) return { kind: 'im', code: error.code, info: error.message, extra: error.extra };
  if (error instanceof DatabaseLockedError) return { kind: 'locked', message: error.message };
  if (error instanceof Error) return { kind: 'error', name: error.name, message: error.message, stack: error.stack };
  return { kind: 'error', name: 'Error', message: String(error), stack: undefined };
}

/** Rebuilds an encoded error: `ImError` and `DatabaseLockedError` keep their class, others become an `Error`. */
export function decodeError(e: EncodedError): Error {
  switch (e.kind) {
    case 'im':
      return new ImError(e.code, e.info, e.extra ? { extra: e.extra } : undefined);
    case 'locked':
      return new DatabaseLockedError(e.message);
    case 'error': {
      const error = new Error(e.message);
      error.name = e.name;
      if (e.stack) error.stack = e.stack;
      return error;
    }
  }
}
