// Child process of bench/sdk-receiver.ts: one receiver variant on 127.0.0.1:0, printing `READY <url>`.
// VARIANT = bare | sdk | sdk-body-signed | octokit. Secrets are fixed bench values shared with the driver.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhooks, createNodeMiddleware } from '@octokit/webhooks';
import { createCallbackReceiver } from '@readwire/sdk';
import { createNodeListener } from '@readwire/sdk/node';
import { BENCH_PATH, BENCH_SDKAPPID, BENCH_SIGNING_SECRET, BENCH_TOKEN, OCTOKIT_SECRET } from './sdk-bench-fixtures.ts';

const OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';
let sink = 0;

/** (a) A bare node:http handler: read the body, JSON.parse it, answer the Tencent OK envelope. */
const bare: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { UnreadMsgNum?: number };
    sink += body.UnreadMsgNum ?? 0;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': OK.length });
    res.end(OK);
  });
};

function sdk(signingSecrets?: string): RequestListener {
  const receiver = createCallbackReceiver({ sdkAppId: BENCH_SDKAPPID, tokens: BENCH_TOKEN, signingSecrets });
  receiver.on('C2C.CallbackAfterMsgReport', (e) => {
    sink += e.UnreadMsgNum ?? 0;
  });
  return createNodeListener(receiver, { path: BENCH_PATH });
}

/** (b) @octokit/webhooks' node middleware: HMAC-SHA256 (x-hub-signature-256) over the same body. */
function octokit(): RequestListener {
  const webhooks = new Webhooks({ secret: OCTOKIT_SECRET });
  webhooks.on('ping', (event) => {
    sink += (event.payload as unknown as { UnreadMsgNum?: number }).UnreadMsgNum ?? 0;
  });
  const middleware = createNodeMiddleware(webhooks, { path: BENCH_PATH });
  return (req, res) => void middleware(req, res);
}

const variant = process.env.VARIANT ?? 'sdk';
const listeners: Record<string, () => RequestListener> = {
  bare: () => bare,
  sdk: () => sdk(),
  'sdk-body-signed': () => sdk(BENCH_SIGNING_SECRET),
  octokit,
};
const make = listeners[variant];
if (!make) throw new Error(`unknown VARIANT ${variant}`);
const server = createServer({ keepAliveTimeout: 60_000 }, make());
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(sink >= 0 ? 0 : 1));
});
