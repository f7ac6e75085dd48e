/**
 * A WebSocket flooder, run as its own process: `workers` loops that each connect (without logging in), send `frame`
 * as fast as the socket takes it until the server closes the connection, and connect again, for `durationMs`.
 * Prints what happened as one JSON line: connections opened, close codes seen, upgrades refused, frames sent.
 * Usage: node --import tsx flooder.ts <url> <durationMs> <workers> <frame>
 * @module
 */
import { WebSocket } from 'ws';

const [url, durationArg, workersArg, frame] = process.argv.slice(2);
const deadline = Date.now() + Number(durationArg);
const stats = {
  connections: 0,
  refused: {} as Record<string, number>,
  closeCodes: {} as Record<string, number>,
  sent: 0,
};

function once(): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url!);
    let open = false;
    const pump = () => {
      if (ws.readyState !== WebSocket.OPEN || Date.now() > deadline) return;
      // Up to 1,000 frames per turn: a socket that takes every write at once would otherwise never yield.
      for (let i = 0; i < 1000 && ws.bufferedAmount < 256 * 1024; i++) {
        ws.send(frame!);
        stats.sent++;
      }
      setImmediate(pump);
    };
    ws.on('open', () => {
      open = true;
      stats.connections++;
      pump();
    });
    ws.on('unexpected-response', (_req, res) => {
      stats.refused[res.statusCode ?? 0] = (stats.refused[res.statusCode ?? 0] ?? 0) + 1;
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (open) stats.closeCodes[code] = (stats.closeCodes[code] ?? 0) + 1;
      resolve();
    });
    // A connection still open at the deadline is ended here (and not counted as closed by the server).
    const timer = setInterval(() => {
      if (Date.now() <= deadline) return;
      clearInterval(timer);
      open = false;
      ws.terminate();
    }, 50);
    ws.on('close', () => clearInterval(timer));
  });
}

async function worker(): Promise<void> {
  while (Date.now() < deadline) await once();
}

await Promise.all(Array.from({ length: Number(workersArg) }, worker));
process.stdout.write(`${JSON.stringify(stats)}\n`);
