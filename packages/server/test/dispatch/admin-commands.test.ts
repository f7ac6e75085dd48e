/**
 * `readwire_callback/*` (admin UserSig, Tencent envelope): get/set the callback config (persisted, effective at once),
 * list events and attempts with filters and paging, replay one event or every dead one — and the `readwire
 * deliveries` / `readwire replay` commands that call them on a running server.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  APP_A,
  KEY_A,
  report,
  startDispatchServer,
  testConfig,
  type DispatchServer,
} from './helpers/dispatch-server.ts';
import { ok, startReceiver, status, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', CLI, ...args], { timeout: 60_000 });

describe('callback admin commands and CLI', () => {
  let first: Receiver;
  let second: Receiver;
  let s: DispatchServer;
  let failing = true;
  const callbackA = () => ({
    url: `${first.url}/first`,
    token: 'tok-1',
    signingSecret: 'a-signing-secret',
    retry: 'none',
  });

  before(async () => {
    first = await startReceiver();
    first.behaviour = (r, res) =>
      (failing && String(r.json.Report_Account).startsWith('bad') ? status(500) : ok())(r, res);
    second = await startReceiver(ok());
    s = await startDispatchServer({ callbackA: callbackA() });
    await s.accounts(['alice', 'bob', 'bad1', 'bad2', 'peer']);
  });
  after(async () => {
    await s.close();
    await first.close();
    await second.close();
  });

  const events = async (body: Record<string, unknown> = {}) => {
    const r = await s.call('readwire_callback/list_events', body);
    assert.equal(r.ErrorCode, 0, JSON.stringify(r));
    return r;
  };

  it('reports the file’s config, hiding secrets unless asked', async () => {
    const r = await s.call('readwire_callback/get_config', {});
    assert.equal(r.ErrorCode, 0);
    assert.equal(r.Source, 'file');
    assert.equal(r.TokenSet, true);
    assert.equal(r.SigningSecretSet, true);
    assert.deepEqual(r.RetryScheduleSeconds, []);
    assert.equal(r.Callback.url, `${first.url}/first`);
    assert.deepEqual(r.Callback.commands, ['C2C.CallbackAfterMsgReport']);
    assert.equal(r.Callback.token, undefined);
    const shown = await s.call('readwire_callback/get_config', { ShowSecrets: true });
    assert.equal(shown.Callback.token, 'tok-1');
    assert.equal(shown.Callback.signingSecret, 'a-signing-secret');
  });

  it('lists events and attempts with filters and paging', async () => {
    const t0 = Date.now();
    for (const who of ['alice', 'bob', 'bad1', 'bad2', 'alice'])
      assert.equal((await report(s, who, 'peer')).ErrorCode, 0);
    await waitFor(async () => (await events({ State: 'pending' })).Events.length === 0, 'all five settled');
    const all = await events();
    assert.equal(all.Events.length, 5);
    assert.deepEqual(
      all.Events.map((e: { Account: string }) => e.Account),
      ['alice', 'bad2', 'bad1', 'bob', 'alice'],
      'newest first',
    );
    assert.deepEqual(
      (await events({ State: 'dead' })).Events.map((e: { Account: string }) => e.Account),
      ['bad2', 'bad1'],
    );
    assert.equal((await events({ Account: 'alice', State: 'delivered' })).Events.length, 2);
    assert.equal((await events({ Command: 'C2C.CallbackAfterSendMsg' })).Events.length, 0);
    assert.equal((await events({ MinTimeMs: t0 - 1000, MaxTimeMs: Date.now() })).Events.length, 5);
    assert.equal((await events({ MinTimeMs: Date.now() + 60_000 })).Events.length, 0);
    const page1 = await events({ Limit: 2 });
    assert.equal(page1.Complete, 0);
    const page2 = await events({ Limit: 2, Cursor: page1.NextCursor });
    const page3 = await events({ Limit: 2, Cursor: page2.NextCursor });
    assert.equal(page3.Complete, 1);
    assert.deepEqual(
      [...page1.Events, ...page2.Events, ...page3.Events].map((e: { EventId: string }) => e.EventId),
      all.Events.map((e: { EventId: string }) => e.EventId),
    );
    const delivered = all.Events[0];
    assert.equal(delivered.State, 'delivered');
    assert.equal(delivered.Body.Report_Account, 'alice');
    assert.equal(typeof delivered.DeliveredAtMs, 'number');
    const attempts = await s.call('readwire_callback/list_attempts', { EventId: delivered.EventId });
    assert.equal(attempts.Attempts.length, 1);
    assert.equal(attempts.Attempts[0].HttpStatus, 200);
    const failed = await s.call('readwire_callback/list_attempts', { Outcome: 'dead' });
    assert.deepEqual(
      failed.Attempts.map((a: { Account: string; HttpStatus: number }) => [a.Account, a.HttpStatus]),
      [
        ['bad2', 500],
        ['bad1', 500],
      ],
    );
    const unknown = await s.call('readwire_callback/list_attempts', { EventId: 'nope' });
    assert.equal(unknown.ErrorCode, 96003);
    const bad = await s.call('readwire_callback/list_events', { State: 'lost' });
    assert.equal(bad.ErrorCode, 70402);
  });

  it('replays one event (same id, next attempt number) and every dead one', async () => {
    const alice = (await events({ Account: 'alice' })).Events[0];
    const before = first.received.length;
    const r = await s.call('readwire_callback/replay', { EventId: alice.EventId });
    assert.deepEqual([r.ErrorCode, r.Replayed, r.PreviousState], [0, 1, 'delivered']);
    await waitFor(() => first.received.length === before + 1, 'the replayed callback');
    const again = first.received.at(-1)!;
    assert.equal(again.headers['x-readwire-event-id'], alice.EventId);
    assert.equal(again.headers['x-readwire-attempt'], '2');
    assert.equal((await s.call('readwire_callback/replay', { EventId: 'nope' })).ErrorCode, 96003);
    assert.equal((await s.call('readwire_callback/replay', {})).ErrorCode, 70402);

    failing = false;
    const dead = await s.call('readwire_callback/replay', { AllDead: true, Account: 'bad1' });
    assert.deepEqual([dead.ErrorCode, dead.Replayed], [0, 1]);
    await waitFor(async () => (await events({ Account: 'bad1' })).Events[0].State === 'delivered', 'bad1 delivered');
    failing = true;
  });

  it('runs `readwire deliveries` and `readwire replay` against the running server', async () => {
    const conn = ['--url', s.server.url, '--sdkappid', String(APP_A), '--key', KEY_A];
    const listed = await cli('deliveries', ...conn, '--state', 'dead');
    assert.match(listed.stdout, /dead\s+1\s+C2C\.CallbackAfterMsgReport\s+bad2\s+[0-9a-f-]{36}\s+HTTP 500/);
    assert.match(listed.stdout, /^1 event\(s\)$/m);
    const bad2 = (await events({ Account: 'bad2' })).Events[0];
    const attempts = await cli('deliveries', ...conn, '--event', bad2.EventId);
    assert.match(attempts.stdout, /#1\s+dead\s+500 .* ms {2}ErrorCode 1 {2}HTTP 500/);
    // --config: the server's file (its port is 0 in the file, so --url still names it).
    const configPath = join(s.dir, 'readwire.json');
    writeFileSync(configPath, JSON.stringify(testConfig(s.dir, { callbackA: callbackA() })));
    failing = false;
    const replayed = await cli('replay', '--config', configPath, '--url', s.server.url, '--dead');
    assert.equal(replayed.stdout, 'replayed 1 dead event(s)\n');
    await waitFor(async () => (await events({ Account: 'bad2' })).Events[0].State === 'delivered', 'bad2 delivered');
    const json = await cli('deliveries', ...conn, '--account', 'bad2', '--json', '--since', '1h');
    assert.equal(JSON.parse(json.stdout)[0].State, 'delivered');
    await assert.rejects(cli('replay', ...conn, '--event', 'nope'), /ErrorCode 96003/);
    await assert.rejects(cli('deliveries', '--url', s.server.url), /--sdkappid N and --key K/);
  });

  it('sets the config at run time: validated, in effect at once, persisted across restarts; null turns it off', async () => {
    const invalid = await s.call('readwire_callback/set_config', { Callback: { url: 'http://x', timeoutMs: 5 } });
    assert.equal(invalid.ErrorCode, 96001);
    assert.match(invalid.ErrorInfo, /timeoutMs/);
    assert.equal((await s.call('readwire_callback/set_config', {})).ErrorCode, 70402);
    const set = await s.call('readwire_callback/set_config', {
      Callback: { url: `${second.url}/second`, commands: ['C2C.CallbackAfterMsgReport'] },
    });
    assert.equal(set.ErrorCode, 0);
    assert.equal((await report(s, 'bob', 'peer')).ErrorCode, 0);
    await waitFor(() => second.received.length === 1, 'the callback at the new URL');
    assert.equal(second.received[0]!.query.get('Sign'), null, 'the new config has no token');

    await s.close({ keepDir: true });
    s = await startDispatchServer({ dir: s.dir, callbackA: callbackA() });
    const got = await s.call('readwire_callback/get_config', {});
    assert.equal(got.Source, 'set_config');
    assert.equal(got.Callback.url, `${second.url}/second`);
    assert.equal((await report(s, 'bob', 'peer')).ErrorCode, 0);
    await waitFor(() => second.received.length === 2, 'the saved config used after a restart');

    assert.equal((await s.call('readwire_callback/set_config', { Callback: null })).ErrorCode, 0);
    assert.equal((await s.call('readwire_callback/get_config', {})).Callback, null);
    const count = (await events()).Events.length;
    assert.equal((await report(s, 'bob', 'peer')).ErrorCode, 0);
    assert.equal((await events()).Events.length, count, 'callbacks off: no event is written');
  });
});
