/**
 * Disk and rows per message and per read report on SQLite: a real server with the default settings
 * (`synchronous=FULL`, callbacks to a local receiver that answers OK), N messages then N read reports over HTTP,
 * then the database's rows per table and its size (pages in use × page size, after a checkpoint).
 *
 * Usage: node --import tsx bench/sizing.ts [N=20000]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genUserSig } from '@readwire/sdk';
import { parseConfig, startServer } from '@readwire/server';

const n = Number(process.argv[2] ?? 20_000);
const users = 1000;
const sdkAppId = 1400000001;
const secretKey = 'sizing-secret-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'readwire-sizing-'));
const path = join(dir, 'readwire.db');

const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}'));
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverPort = (receiver.address() as { port: number }).port;

const config = parseConfig({
  port: 0,
  logLevel: 'warn',
  allowPrivateCallbackUrls: true,
  storage: { sqlite: { path } },
  apps: [
    {
      sdkAppId,
      secretKey,
      restRateLimit: 0,
      callback: { url: `http://127.0.0.1:${receiverPort}/cb`, commands: ['C2C.CallbackAfterMsgReport'] },
    },
  ],
});
let server = await startServer(config);
const usersig = await genUserSig({ sdkAppId, secretKey, userId: 'administrator' });
const query = `sdkappid=${sdkAppId}&identifier=administrator&usersig=${usersig}&random=1&contenttype=json`;
async function rest(command: string, body: object): Promise<void> {
  const res = await fetch(`${server.url}/v4/${command}?${query}`, { method: 'POST', body: JSON.stringify(body) });
  const answer = (await res.json()) as { ErrorCode: number; ErrorInfo: string };
  if (answer.ErrorCode !== 0) throw new Error(`${command}: ${answer.ErrorCode} ${answer.ErrorInfo}`);
}
async function inParallel(count: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}
const user = (i: number) => `user${i % users}`;
for (let i = 0; i < users; i += 100) {
  await rest('im_open_login_svc/multiaccount_import', { Accounts: Array.from({ length: 100 }, (_, k) => user(i + k)) });
}

function measure(): { rows: Record<string, number>; bytes: number } {
  const db = new Database(path, { readonly: true });
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
  const rows: Record<string, number> = {};
  for (const { name } of tables)
    rows[name] = db.prepare<[], { c: number }>(`SELECT count(*) AS c FROM "${name}"`).get()!.c;
  const pragma = (p: string) => db.pragma(p, { simple: true }) as number;
  const bytes = (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
  db.close();
  return { rows, bytes };
}

/** Stops the server (the database is exclusively locked while it runs), measures, and starts it again. */
async function phase(): Promise<{ rows: Record<string, number>; bytes: number }> {
  await server.close();
  const m = measure();
  server = await startServer(config);
  return m;
}

const accounts = await phase();
// Message i goes from user(i) to user(i+1); then its recipient reads that conversation.
const text = 'a message of about sixty characters, as chat messages often are';
let started = Date.now();
await inParallel(n, (i) =>
  rest('openim/sendmsg', {
    From_Account: user(i),
    To_Account: user(i + 1),
    MsgRandom: i,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  }),
);
const sendSeconds = (Date.now() - started) / 1000;
const messages = await phase();
started = Date.now();
await inParallel(n, (i) => rest('openim/admin_set_msg_read', { Report_Account: user(i + 1), Peer_Account: user(i) }));
const reportSeconds = (Date.now() - started) / 1000;
await new Promise((r) => setTimeout(r, 2000)); // let the last callbacks be delivered
const reports = await phase();
await server.close();
receiver.close();
rmSync(dir, { recursive: true, force: true });

const delta = (a: { rows: Record<string, number> }, b: { rows: Record<string, number> }) =>
  Object.fromEntries(Object.keys(b.rows).map((t) => [t, (b.rows[t]! - (a.rows[t] ?? 0)) / n]));
console.log(
  JSON.stringify(
    {
      n,
      users,
      sendSeconds,
      reportSeconds,
      bytesAfterAccounts: accounts.bytes,
      bytesPerMessage: (messages.bytes - accounts.bytes) / n,
      bytesPerReport: (reports.bytes - messages.bytes) / n,
      rowsPerMessage: delta(accounts, messages),
      rowsPerReport: delta(messages, reports),
    },
    null,
    1,
  ),
);
