import type { ServerResponse } from 'node:http';
import type { CallbackResponse } from '../receiver/callback-request.ts';

/** Writes a receiver answer to a Node response (with `content-length`, and `connection: close` if asked). */
export function writeNodeResponse(res: ServerResponse, answer: CallbackResponse, close = false): void {
  const headers: Record<string, string | number> = {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
  };
  if (close) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}
