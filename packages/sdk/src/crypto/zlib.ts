/**
 * zlib (RFC 1950) compression through the Web-standard `CompressionStream('deflate')`, which Node 20,
 * browsers, Bun, Deno and Workers all provide. TLSSigAPIv2 wraps its JSON document in exactly this format.
 * @module
 */

async function pipe(
  bytes: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const writer = stream.writable.getWriter();
  void writer.write(bytes).catch(() => undefined);
  void writer.close().catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = value as Uint8Array;
    chunks.push(chunk);
    total += chunk.length;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** zlib-deflates bytes. */
export function zlibDeflate(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return pipe(bytes, new CompressionStream('deflate'));
}

/** zlib-inflates bytes; rejects on corrupt input. Unbounded: use {@link zlibInflateBounded} on untrusted input. */
export function zlibInflate(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return pipe(bytes, new DecompressionStream('deflate'));
}

/** Thrown (as the rejection) by {@link zlibInflateBounded} when the output would exceed its limit. */
export class InflateLimitError extends RangeError {
  constructor(maxBytes: number) {
    super(`inflated data exceeds ${maxBytes} bytes`);
    this.name = 'InflateLimitError';
  }
}

/** Compressed bytes fed to a `DecompressionStream` at a time: one slice inflates to at most ~1032× this. */
const WEB_SLICE_BYTES = 64;

/**
 * Inflates through the Web-standard stream, feeding the input in small slices and reading what each produces, so
 * that output beyond `maxBytes` stops the work after at most one slice's expansion (about 66 KB).
 */
export async function zlibInflateBoundedWeb(
  bytes: Uint8Array<ArrayBuffer>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const chunk = value as Uint8Array;
      total += chunk.length;
      if (total > maxBytes) {
        overflow = true;
        await reader.cancel().catch(() => undefined);
        return;
      }
      chunks.push(chunk);
    }
  })();
  try {
    for (let i = 0; i < bytes.length && !overflow; i += WEB_SLICE_BYTES) {
      await writer.write(bytes.subarray(i, i + WEB_SLICE_BYTES));
    }
    if (!overflow) await writer.close();
  } catch {
    // The stream failed (corrupt input: `reading` rejects) or was cancelled on overflow.
  }
  await reading;
  if (overflow) throw new InflateLimitError(maxBytes);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

interface NodeZlib {
  inflateSync(input: Uint8Array, options: { maxOutputLength: number; chunkSize: number }): Uint8Array;
}

/** `node:zlib` when the runtime offers it through `process.getBuiltinModule` (Node ≥ 20.16, Bun, Deno). */
const nodeZlib: NodeZlib | undefined = (() => {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return proc?.getBuiltinModule?.('node:zlib') as NodeZlib | undefined;
  } catch {
    return undefined;
  }
})();

/**
 * zlib-inflates untrusted bytes, refusing (rejecting with {@link InflateLimitError}) as soon as the output would
 * exceed `maxBytes`: a few KB of work and memory whatever the input claims to expand to. Uses `node:zlib`'s
 * synchronous inflate with `maxOutputLength` where the runtime has it (microseconds), else the Web stream.
 */
export async function zlibInflateBounded(
  bytes: Uint8Array<ArrayBuffer>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!nodeZlib) return zlibInflateBoundedWeb(bytes, maxBytes);
  let out: Uint8Array;
  try {
    out = nodeZlib.inflateSync(bytes, {
      maxOutputLength: maxBytes,
      chunkSize: Math.max(64, Math.min(maxBytes, 16 * 1024)),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new InflateLimitError(maxBytes);
    throw error;
  }
  return new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
}
