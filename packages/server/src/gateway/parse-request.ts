import { exceedsJsonDepth } from '../rest/exceeds-json-depth.ts';
import type { RequestId } from './client-frames.ts';

/** A request frame as read: its id (echoed in the reply), operation and data. */
export interface ClientRequest {
  id: RequestId;
  op: string;
  data: unknown;
}

/** Reads a text frame as a request; undefined unless it is a JSON object with a string `op` and a valid `id` (and
 * nests no deeper than `MAX_JSON_DEPTH`). */
export function parseRequest(text: string): ClientRequest | undefined {
  if (exceedsJsonDepth(text)) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const { id, op, data } = v as Record<string, unknown>;
  const validId = (typeof id === 'string' && id.length <= 64) || (typeof id === 'number' && Number.isFinite(id));
  if (!validId || typeof op !== 'string') return undefined;
  return { id, op, data };
}

/**
 * A text frame as a request, or undefined. A frame whose first byte is not `{` (after JSON whitespace) is refused
 * without parsing.
 */
export function readRequest(data: Buffer | string, isBinary: boolean): ClientRequest | undefined {
  if (isBinary) return undefined;
  if (typeof data === 'string') return /^\s*\{/.test(data) ? parseRequest(data) : undefined;
  let i = 0;
  while (i < data.length && (data[i] === 0x20 || data[i] === 0x0a || data[i] === 0x0d || data[i] === 0x09)) i++;
  return data[i] === 0x7b ? parseRequest(data.toString()) : undefined;
}
