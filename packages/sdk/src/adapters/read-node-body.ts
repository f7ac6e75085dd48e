import type { Readable } from 'node:stream';

/** A body read from a Node stream with a size limit. */
export interface NodeBody {
  /** The bytes read; absent when the body was too large. */
  body: Uint8Array | undefined;
  /** The stream had more than `maxBytes` bytes; the rest was left to drain unread. */
  tooLarge: boolean;
}

type BodyStream = Readable & { headers?: Record<string, unknown> };

/**
 * Reads a Node request stream up to `maxBytes` and calls `done` once (a larger declared `content-length` is
 * refused without reading). On overflow it stops collecting and resumes the stream so it drains; adapters then
 * answer with `connection: close`. Callback-based: this runs on every callback.
 */
export function collectNodeBody(
  stream: BodyStream,
  maxBytes: number,
  done: (error: Error | undefined, result: NodeBody) => void,
): void {
  if (Number(stream.headers?.['content-length']) > maxBytes) {
    stream.resume();
    done(undefined, { body: undefined, tooLarge: true });
    return;
  }
  let chunks: Buffer[] | undefined = [];
  let total = 0;
  stream.on('data', (chunk: Buffer) => {
    if (!chunks) return;
    total += chunk.length;
    if (total > maxBytes) {
      chunks = undefined;
      done(undefined, { body: undefined, tooLarge: true });
      return;
    }
    chunks.push(chunk);
  });
  stream.on('end', () => {
    if (!chunks) return;
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    chunks = undefined;
    done(undefined, { body: body ?? new Uint8Array(0), tooLarge: false });
  });
  stream.on('error', (error: Error) => {
    if (!chunks) return;
    chunks = undefined;
    done(error, { body: undefined, tooLarge: false });
  });
}

/** {@link collectNodeBody} as a promise. */
export function readNodeBody(stream: BodyStream, maxBytes: number): Promise<NodeBody> {
  return new Promise((resolve, reject) => {
    collectNodeBody(stream, maxBytes, (error, result) => (error ? reject(error) : resolve(result)));
  });
}
