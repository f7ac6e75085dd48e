// Child process of bench/dispatch-e2e.ts: the baseline for the same two HTTP hops. A bare node:http server reads the
// REST body, answers the Tencent envelope, then POSTs a callback body built from it to the receiver through a
// keep-alive undici Pool — no store, no auth, no outbox. Receiver URL in BASELINE_RECEIVER_URL; prints `READY <url>`.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const ENVELOPE = JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ENVELOPE) };
const receiver = new URL(process.env.BASELINE_RECEIVER_URL ?? 'http://127.0.0.1:1');
const pool = new Pool(receiver.origin, { connections: Number(process.env.BASELINE_CONNECTIONS ?? 256) });
const path = `${receiver.pathname}?SdkAppid=1&CallbackCommand=C2C.CallbackAfterMsgReport&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI`;

function forward(body: string): void {
  const b = JSON.parse(body) as { Report_Account: string; Peer_Account: string; MsgReadTime?: number };
  const callback = JSON.stringify({
    CallbackCommand: 'C2C.CallbackAfterMsgReport',
    Report_Account: b.Report_Account,
    Peer_Account: b.Peer_Account,
    LastReadTime: b.MsgReadTime ?? Math.floor(Date.now() / 1000),
    UnreadMsgNum: 0,
    EventTime: Date.now(),
  });
  pool
    .request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body: callback })
    .then((res) => res.body.text())
    .catch((error: unknown) => console.error('baseline callback failed', error));
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    res.writeHead(200, HEADERS);
    res.end(ENVELOPE);
    forward(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`READY http://127.0.0.1:${port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
