/**
 * An HTTP proxy between a Readwire server and a receiver that can tamper with callbacks in transit, to prove the
 * receiver refuses them: a forged `Sign`, a replayed (stale) `RequestTime` re-signed with the token, another
 * `SdkAppid`, or an altered body.
 * @module
 */
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TamperMode = 'none' | 'sign' | 'stale' | 'appid' | 'body';

export interface TamperProxy {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  mode: TamperMode;
  close(): Promise<void>;
}

function tamperPath(path: string, mode: TamperMode, token: string): string {
  const q = path.indexOf('?');
  const query = new URLSearchParams(path.slice(q + 1));
  if (mode === 'sign') query.set('Sign', createHash('sha256').update('forged').digest('hex'));
  if (mode === 'appid') query.set('SdkAppid', '1400009999');
  if (mode === 'stale') {
    const stale = Number(query.get('RequestTime')) - 120;
    query.set('RequestTime', String(stale));
    query.set('Sign', createHash('sha256').update(`${token}${stale}`).digest('hex'));
  }
  return `${path.slice(0, q)}?${query.toString()}`;
}

/** Starts a proxy forwarding to `target` (an origin), tampering according to its current `mode`. */
export async function startTamperProxy(target: string, token: string): Promise<TamperProxy> {
  const proxy: TamperProxy = { origin: '', mode: 'none', close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks).toString('utf8');
      if (proxy.mode === 'body') body = body.replace(/"UnreadMsgNum":\d+/, '"UnreadMsgNum":999');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
      }
      const path = proxy.mode === 'none' || proxy.mode === 'body' ? req.url! : tamperPath(req.url!, proxy.mode, token);
      fetch(target + path, { method: req.method, headers, body })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
          res.end(await answer.text());
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  return proxy;
}
