import { utf8 } from './bytes.ts';

/** Bytes a Standard Webhooks v1 signature covers: `${id}.${timestamp}.${body}`, with the body unchanged. */
export function standardWebhookContent(
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return utf8(`${id}.${timestamp}.${body}`);
  const prefix = utf8(`${id}.${timestamp}.`);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}
