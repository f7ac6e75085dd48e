import type { Readable } from 'node:stream';

/** A body read from a Node stream with a size limit. */
export interface NodeBody {
  /** The bytes read; the first `maxBytes + 1` bytes at most. */
  body: Uint8Array | undefined;
  /** The stream had more than `maxBytes` bytes; the rest was left unread. */
  tooLarge: boolean;
}

/**
 * Reads a Node request stream up to `maxBytes` (a larger declared `content-length` is refused without reading).
 * On overflow it stops collecting and resumes the stream so it drains; adapters then answer with
 * `connection: close`.
 */
export function readNodeBody(
  stream: Readable & { headers?: Record<string, unknown> },
  maxBytes: number,
): Promise<NodeBody> {
  const declared = Number(stream.headers?.['content-length']);
  if (declared > maxBytes) {
    stream.resume();
    return Promise.resolve({ body: undefined, tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        stream.resume();
        resolve({ body: undefined, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
      resolve({ body: body ?? new Uint8Array(0), tooLarge: false });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
