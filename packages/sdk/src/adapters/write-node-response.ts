import type { ServerResponse } from 'node:http';
import type { CallbackResponse } from '../receiver/callback-request.ts';

/** Writes a receiver answer to a Node response (adding `content-length`, and `connection: close` if asked). */
export function writeNodeResponse(res: ServerResponse, answer: CallbackResponse, close = false): void {
  if (answer.headers['content-length'] === undefined) res.setHeader('content-length', Buffer.byteLength(answer.body));
  if (close) res.setHeader('connection', 'close');
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
