import { CallbackError } from '../errors/sdk-error.ts';
import { getHeader, type CallbackRequest } from './callback-request.ts';
import { isRecord } from './payload-schemas.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Byte length of a raw body (strings are measured as UTF-8 only when they might exceed the limit). */
function exceeds(raw: string | Uint8Array, maxBytes: number): boolean {
  if (typeof raw !== 'string') return raw.length > maxBytes;
  if (raw.length * 3 <= maxBytes) return false;
  return encoder.encode(raw).length > maxBytes;
}

/**
 * Throws `BODY_TOO_LARGE` when the adapter flagged it, the raw body exceeds the limit, or (for a body a
 * framework already parsed) the declared `content-length` does.
 */
export function checkBodySize(request: CallbackRequest, maxBytes: number): void {
  const { rawBody } = request;
  const tooLarge =
    request.bodyTooLarge ||
    (rawBody !== undefined
      ? exceeds(rawBody, maxBytes)
      : Number(getHeader(request.headers, 'content-length') ?? 0) > maxBytes);
  if (tooLarge) {
    throw new CallbackError('BODY_TOO_LARGE', `request body is larger than ${maxBytes} bytes`);
  }
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CallbackError('BODY_NOT_JSON', 'request body is not valid JSON', { cause });
  }
}

/**
 * The body as a JSON object: parsed from `rawBody` (bytes must be UTF-8), or taken from `parsedBody` (a string
 * or bytes there are parsed too, for frameworks that hand over the raw text that way).
 */
export function parseBody(request: CallbackRequest): Record<string, unknown> {
  let value: unknown;
  const source = request.rawBody ?? request.parsedBody;
  if (typeof source === 'string') {
    value = parseText(source);
  } else if (source instanceof Uint8Array) {
    let text: string;
    try {
      text = decoder.decode(source);
    } catch (cause) {
      throw new CallbackError('BODY_NOT_JSON', 'request body is not UTF-8', { cause });
    }
    value = parseText(text);
  } else {
    value = source;
  }
  if (!isRecord(value)) throw new CallbackError('BODY_NOT_JSON', 'request body is not a JSON object');
  return value;
}
