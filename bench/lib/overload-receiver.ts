// Child process of bench/overload.ts: a callback receiver in its own process (so it never shares an event loop with
// the load generator). Answers every callback OK and records, per distinct report (Report_Account:LastReadTime), the
// delay from the event's commit (`EventTime`, same machine clock) to its arrival. `GET /stats?since=<unix ms>` answers
// {received, distinct, p50Ms, p99Ms, maxMs} over the events committed since then. Prints `READY <url>`.
import { createServer } from 'node:http';
import { exitWithParent } from './child.ts';
import { summarize } from './stats.ts';

const seen = new Set<string>();
const delays: { at: number; ms: number }[] = [];
let received = 0;
const ok = JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url?.startsWith('/stats')) {
    const since = Number(new URL(req.url, 'http://x').searchParams.get('since') ?? 0);
    const window = delays.filter((d) => d.at >= since).map((d) => d.ms);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ received, distinct: seen.size, ...summarize(Float64Array.from(window)) }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      Report_Account: string;
      LastReadTime: number;
      EventTime: number;
    };
    received++;
    const key = `${b.Report_Account}:${b.LastReadTime}`;
    if (!seen.has(key)) {
      seen.add(key);
      delays.push({ at: b.EventTime, ms: Math.max(0, now - b.EventTime) });
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(ok);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`READY http://127.0.0.1:${port}/callback\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
exitWithParent(stop);
