// Child process: the baseline. A bare node:http server that reads the whole body and answers the Tencent envelope,
// the least any server speaking this API must do. Prints `READY <url>`. For calibration (bench/rest-ratio.ts),
// BARE_SPIN_US=N makes it burn N µs of CPU per request before answering: how much a server may add per request and
// still reach a given share of the bare throughput on this machine.
import { createServer } from 'node:http';
import { exitWithParent } from './child.ts';

const SPIN_MS = Number(process.env.BARE_SPIN_US ?? 0) / 1000;
const ENVELOPE = JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ENVELOPE) };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    Buffer.concat(chunks).toString('utf8');
    if (SPIN_MS > 0) {
      const until = performance.now() + SPIN_MS;
      while (performance.now() < until);
    }
    res.writeHead(200, HEADERS);
    res.end(ENVELOPE);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`READY http://127.0.0.1:${port}\n`);
});
const stop = () => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
exitWithParent(stop);
