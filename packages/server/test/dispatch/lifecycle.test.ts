/**
 * Graceful stop (in-flight attempts finish, or are aborted and their events released, then sent after a restart),
 * pruning of old delivered events (never dead or pending ones), and the dispatcher's metrics.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { APP_A, report, startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
import { hang, ok, slow, startReceiver, status, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('dispatcher lifecycle', () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });
  const track = (...items: (DispatchServer | Receiver)[]) => {
    for (const i of items) cleanup.push(() => i.close());
  };
  const stateOf = async (s: DispatchServer) =>
    ((await s.call('readwire_callback/list_events', {})).Events as { State: string; Attempts: number }[])[0]!;

  it('lets an in-flight attempt finish on stop', async () => {
    const receiver = await startReceiver(slow(400, ok()));
    const s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/cb`, timeoutMs: 20_000 },
      dispatcher: { stopGraceMs: 20_000 },
    });
    track(receiver);
    await s.accounts(['alice', 'peer']);
    assert.equal((await report(s, 'alice', 'peer')).ErrorCode, 0);
    await waitFor(() => receiver.received.length === 1, 'the attempt to be in flight');
    await s.close({ keepDir: true });
    const again = await startDispatchServer({ dir: s.dir, callbackA: { url: `${receiver.url}/cb` } });
    track(again);
    assert.equal((await stateOf(again)).State, 'delivered');
    assert.equal(receiver.received.length, 1, 'not sent twice');
  });

  it('aborts what does not finish within the grace period and sends it after the restart', async () => {
    const stuck = await startReceiver(hang);
    const s = await startDispatchServer({
      callbackA: { url: `${stuck.url}/cb`, timeoutMs: 30_000 },
      dispatcher: { stopGraceMs: 100 },
    });
    track(stuck);
    await s.accounts(['alice', 'peer']);
    assert.equal((await report(s, 'alice', 'peer')).ErrorCode, 0);
    await waitFor(() => stuck.received.length === 1, 'the attempt to be in flight');
    await s.close({ keepDir: true });
    const healthy = await startReceiver(ok());
    const again = await startDispatchServer({ dir: s.dir, callbackA: { url: `${healthy.url}/cb` } });
    track(again, healthy);
    await waitFor(() => healthy.received.length === 1, 'the released event after the restart');
    assert.equal(healthy.received[0]!.headers['x-readwire-attempt'], '2');
    const eventId = healthy.received[0]!.headers['x-readwire-event-id'];
    assert.equal(stuck.received[0]!.headers['x-readwire-event-id'], eventId, 'the same event');
    const attempts = await again.call('readwire_callback/list_attempts', { EventId: eventId });
    assert.deepEqual(
      (attempts.Attempts as { Outcome: string; Error: string }[]).map((a) => [a.Outcome, a.Error]).reverse(),
      [
        ['aborted', 'aborted: server stopping'],
        ['delivered', ''],
      ],
    );
  });

  it('prunes delivered events after the retention, keeps dead and pending ones, and exports metrics', async () => {
    const receiver = await startReceiver();
    receiver.behaviour = (r, res) =>
      (r.json.Report_Account === 'dies' ? status(500) : r.json.Report_Account === 'waits' ? hang : ok())(r, res);
    const s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/cb`, retry: 'none', timeoutMs: 30_000 },
      dispatcher: { retentionDays: 0.5 / 86_400, pruneIntervalMs: 200, stopGraceMs: 0 },
    });
    track(s, receiver);
    await s.accounts(['alice', 'dies', 'waits', 'peer']);
    for (const who of ['alice', 'dies', 'waits']) assert.equal((await report(s, who, 'peer')).ErrorCode, 0);
    const states = async () =>
      ((await s.call('readwire_callback/list_events', {})).Events as { Account: string; State: string }[])
        .map((e) => `${e.Account}:${e.State}`)
        .sort();
    await waitFor(
      async () => (await states()).join() === 'dies:dead,waits:pending',
      async () => `alice's delivered event to be pruned (have ${(await states()).join()})`,
    );
    const text = await (await fetch(`${s.server.url}/metrics`)).text();
    const app = `app="${APP_A}"`;
    assert.match(
      text,
      new RegExp(
        `readwire_callback_deliveries_total\\{${app},command="C2C.CallbackAfterMsgReport",outcome="delivered"\\} 1`,
      ),
    );
    assert.match(
      text,
      new RegExp(
        `readwire_callback_deliveries_total\\{${app},command="C2C.CallbackAfterMsgReport",outcome="dead"\\} 1`,
      ),
    );
    assert.match(text, new RegExp(`readwire_callback_attempt_duration_seconds_count\\{${app}\\} 2`));
    assert.match(text, new RegExp(`readwire_callback_queue_depth\\{${app}\\} 1`));
    assert.match(text, new RegExp(`readwire_callback_dead_events\\{${app}\\} 1`));
    assert.match(text, new RegExp(`readwire_callback_oldest_pending_age_seconds\\{${app}\\} \\d`));
    assert.match(text, /readwire_callback_endpoint_in_flight\{endpoint="http:\/\/127\.0\.0\.1:\d+"\} 1/);
  });
});
