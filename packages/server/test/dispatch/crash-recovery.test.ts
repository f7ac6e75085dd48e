/**
 * `kill -9` under load: a child-process server is killed with SIGKILL while read reports pour in and callbacks are in
 * flight, then restarted on the same database. Every acknowledged report's callback arrives; duplicates are only of
 * attempts that were in flight (at most the concurrency limit) and carry the same event id; each account's
 * callbacks are still first received in commit order.
 */
import { genUserSig } from '@readwire/sdk';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { releaseStorage } from '../helpers/pg-test-db.ts';
import { APP_A, KEY_A, testConfig } from './helpers/dispatch-server.ts';
import { ok, slow, startReceiver, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

const CHILD = fileURLToPath(new URL('./helpers/server-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const REPORTERS = Array.from({ length: 24 }, (_, i) => `r${i}`);

interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<void>;
}

async function startChild(configPath: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, configPath], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /^READY (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code, signal) => reject(new Error(`server exited early (${code ?? signal})`)));
  });
  return { proc, url, exited };
}

describe('crash recovery', () => {
  let receiver: Receiver | undefined;
  let child: Child | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'readwire-crash-'));
  after(async () => {
    child?.proc.kill('SIGKILL');
    await child?.exited;
    await receiver?.close();
    await releaseStorage(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every acknowledged report after a SIGKILL under load', async (t) => {
    receiver = await startReceiver(slow(3, ok()));
    const configPath = join(dir, 'readwire.json');
    const config = testConfig(dir, {
      logLevel: 'error',
      callbackA: { url: `${receiver.url}/cb`, retry: Array.from({ length: 20 }, () => 0.05) },
      dispatcher: { concurrencyPerEndpoint: 16 },
    });
    writeFileSync(configPath, JSON.stringify(config));
    child = await startChild(configPath);
    const sig = await genUserSig({ sdkAppId: APP_A, secretKey: KEY_A, userId: 'administrator' });
    const query = `sdkappid=${APP_A}&identifier=administrator&usersig=${encodeURIComponent(sig)}&random=1&contenttype=json`;
    const post = async (url: string, path: string, body: unknown) => {
      const res = await fetch(`${url}/v4/${path}?${query}`, { method: 'POST', body: JSON.stringify(body) });
      return (await res.json()) as { ErrorCode: number };
    };
    assert.equal(
      (await post(child.url, 'im_open_login_svc/multiaccount_import', { Accounts: [...REPORTERS, 'peer'] })).ErrorCode,
      0,
    );

    // Each worker owns one reporter and reports for it one at a time, so per reporter the commit order is the order
    // of MsgReadTime.
    const acked = new Set<string>();
    let stop = false;
    const url = child.url;
    const worker = async (who: string) => {
      let readTime = 1_600_000_000;
      while (!stop) {
        readTime++;
        try {
          const r = await post(url, 'openim/admin_set_msg_read', {
            Report_Account: who,
            Peer_Account: 'peer',
            MsgReadTime: readTime,
          });
          if (r.ErrorCode === 0) acked.add(`${who}:${readTime}`);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = REPORTERS.map(worker);
    await waitFor(() => acked.size >= 400 && receiver!.received.length >= 100, 'load to be under way');
    const killedAt = Date.now();
    child.proc.kill('SIGKILL');
    await child.exited;
    stop = true;
    await Promise.all(workers);
    const receivedBeforeRestart = receiver.received.length;
    assert.ok(acked.size > receivedBeforeRestart, 'there was a backlog at the kill');

    child = await startChild(configPath);
    const key = (r: { json: { Report_Account: string; LastReadTime: number } }) =>
      `${r.json.Report_Account}:${r.json.LastReadTime}`;
    const missing = () => {
      const got = new Set(receiver!.received.map(key));
      return [...acked].filter((k) => !got.has(k)).length;
    };
    await waitFor(
      () => missing() === 0,
      () => `every acknowledged report's callback (${missing()} missing)`,
      90_000,
    );

    // Duplicates: only attempts that were in flight at the kill, same event id.
    const byEvent = new Map<string, string[]>();
    for (const r of receiver.received) {
      const id = r.headers['x-readwire-event-id'] as string;
      byEvent.set(id, [...(byEvent.get(id) ?? []), key(r)]);
    }
    const duplicated = [...byEvent.values()].filter((keys) => keys.length > 1);
    t.diagnostic(
      `acknowledged ${acked.size}, received ${receivedBeforeRestart} before the kill, ${duplicated.length} duplicates`,
    );
    // Only attempts that were in flight or whose result was not yet written may be sent again: a result is written by
    // the next outbox batch (milliseconds later), so every duplicate's first copy reached the receiver before the
    // restart and no earlier than a generous 2 s before the kill (requests the killed node had written may still be
    // read after it).
    const firstCopy = new Map<string, { at: number; index: number }>();
    receiver.received.forEach((r, index) => {
      const id = r.headers['x-readwire-event-id'] as string;
      if (!firstCopy.has(id)) firstCopy.set(id, { at: r.at, index });
    });
    const duplicatedIds = [...byEvent.entries()].filter(([, keys]) => keys.length > 1).map(([id]) => id);
    const unexpected = duplicatedIds.filter((id) => {
      const first = firstCopy.get(id)!;
      return first.at < killedAt - 2000 || first.index >= receivedBeforeRestart;
    });
    assert.ok(duplicated.length <= 32, `${duplicated.length} duplicates: more than 16 in flight and 16 unrecorded`);
    assert.deepEqual(unexpected, [], 'an event delivered well before the kill (or after the restart) was sent again');
    assert.ok(
      duplicated.every((keys) => keys.every((k) => k === keys[0])),
      'a duplicate is the same event',
    );

    // First receipts per reporter in commit (MsgReadTime) order.
    const firstSeen = new Set<string>();
    const last = new Map<string, number>();
    for (const r of receiver.received) {
      const id = r.headers['x-readwire-event-id'] as string;
      if (firstSeen.has(id)) continue;
      firstSeen.add(id);
      const who = r.json.Report_Account as string;
      const t = r.json.LastReadTime as number;
      assert.ok(t > (last.get(who) ?? 0), `${who}: ${t} received after ${last.get(who)}`);
      last.set(who, t);
    }
  });
});
