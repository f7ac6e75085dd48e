// Child process of bench/gateway-load.ts: the server under test, either the real Readwire server (`readwire`) or a
// bare `ws` echo server (`echo`, the baseline), chosen by GATEWAY_BENCH_MODE. Talks to the parent over IPC:
// sends { type: 'ready', url } once listening; answers { type: 'measure' } with its memory after a full GC.
// GATEWAY_BENCH_PROFILE=<file.cpuprofile> profiles the server process from start to stop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocketServer } from 'ws';
import { parseConfig, startServer } from '@readwire/server';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Memory after two full collections, in bytes. */
async function measure(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage();
}

const send = (m: unknown) => process.send!(m);
const profileFile = process.env.GATEWAY_BENCH_PROFILE;
const profiler = profileFile ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const mode = process.env.GATEWAY_BENCH_MODE ?? 'readwire';
let close: () => Promise<void>;

if (mode === 'echo') {
  const http = createServer((_req, res) => res.end());
  const wss = new WebSocketServer({
    server: http,
    path: '/v1/client',
    perMessageDeflate: false,
    clientTracking: false,
  });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as { port: number };
  send({ type: 'ready', url: `ws://127.0.0.1:${port}/v1/client` });
  close = () => new Promise((r) => http.close(() => r()));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'readwire-gateway-bench-'));
  const server = await startServer(
    parseConfig({
      port: 0,
      logLevel: 'warn',
      storage: {
        sqlite: {
          path: join(dir, 'readwire.db'),
          synchronous: (process.env.GATEWAY_BENCH_SYNCHRONOUS ?? 'FULL') as 'FULL' | 'NORMAL',
        },
      },
      gateway: JSON.parse(process.env.GATEWAY_BENCH_GATEWAY ?? '{}') as Record<string, unknown>,
      apps: [{ sdkAppId: Number(process.env.GATEWAY_BENCH_APP), secretKey: process.env.GATEWAY_BENCH_SECRET! }],
    }),
  );
  send({ type: 'ready', url: `${server.url.replace('http', 'ws')}/v1/client` });
  close = async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'measure') void measure().then((memory) => send({ type: 'memory', memory }));
  if (m.type === 'stop') {
    void (async () => {
      if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(profileFile!, JSON.stringify(profile));
      }
      await close();
      process.exit(0);
    })();
  }
});
