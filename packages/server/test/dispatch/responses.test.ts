/**
 * What counts as delivered (HTTP 200 + JSON, whatever its ErrorCode) and what is a failure (other statuses, non-JSON,
 * timeouts, closed connections), retries with a short schedule, `"retry": "none"`, dead events, and the attempt
 * records of each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APP_A, APP_B, report, startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
import { garbage, hangUp, ok, slow, startReceiver, status, type Behaviour, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Per reporter: the behaviour of each successive attempt (the last one repeats). */
const SCRIPTS: Record<string, Behaviour[]> = {
  accepts: [ok(1, 'the handler refused, but after-callbacks ignore it')],
  fails_twice: [status(500), status(503), ok()],
  garbage: [garbage],
  slow_once: [slow(1500), ok()],
  hangs_up_once: [hangUp, ok()],
  created: [status(201), ok()],
  none: [status(500)],
};

interface EventRow {
  EventId: string;
  State: string;
  Attempts: number;
  LastError: string;
  Account: string;
}
interface AttemptRow {
  Attempt: number;
  HttpStatus: number | null;
  ErrorCode: number | null;
  ErrorInfo: string | null;
  Error: string;
  Outcome: string;
  Url: string;
  LatencyMs: number;
}

describe('callback responses and retries', () => {
  let receiver: Receiver;
  let s: DispatchServer;
  const seen = new Map<string, number>();

  before(async () => {
    receiver = await startReceiver();
    receiver.behaviour = (r, res) => {
      const who = r.json.Report_Account as string;
      const n = seen.get(who) ?? 0;
      seen.set(who, n + 1);
      const script = SCRIPTS[who]!;
      script[Math.min(n, script.length - 1)]!(r, res);
    };
    s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/a`, timeoutMs: 400, retry: [0.05, 0.05, 0.05] },
      callbackB: { url: `${receiver.url}/b`, retry: 'none' },
      dispatcher: { pollIntervalMs: 100, breakerFailureThreshold: 1000 },
    });
    await s.accounts([...Object.keys(SCRIPTS), 'peer']);
    await s.accounts(['none', 'peer'], APP_B);
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  const eventOf = async (account: string, app = APP_A): Promise<EventRow> => {
    const r = await s.call('readwire_callback/list_events', { Account: account }, app);
    assert.equal(r.ErrorCode, 0, JSON.stringify(r));
    assert.equal(r.Events.length, 1);
    return r.Events[0] as EventRow;
  };
  const attemptsOf = async (eventId: string, app = APP_A): Promise<AttemptRow[]> => {
    const r = await s.call('readwire_callback/list_attempts', { EventId: eventId }, app);
    assert.equal(r.ErrorCode, 0, JSON.stringify(r));
    return (r.Attempts as AttemptRow[]).reverse();
  };
  const settled = (account: string, app = APP_A) =>
    waitFor(async () => (await eventOf(account, app)).State !== 'pending', `${account}'s event to settle`);

  it('reports every scripted outcome', async () => {
    for (const who of Object.keys(SCRIPTS)) {
      const app = who === 'none' ? APP_B : APP_A;
      assert.equal((await report(s, who, 'peer', undefined, app)).ErrorCode, 0);
    }
    for (const who of Object.keys(SCRIPTS)) await settled(who, who === 'none' ? APP_B : APP_A);
  });

  it('treats HTTP 200 with JSON as delivered whatever its ErrorCode, and records ErrorCode/ErrorInfo', async () => {
    const e = await eventOf('accepts');
    assert.equal(e.State, 'delivered');
    const [a] = await attemptsOf(e.EventId);
    assert.equal(a!.HttpStatus, 200);
    assert.equal(a!.ErrorCode, 1);
    assert.equal(a!.ErrorInfo, 'the handler refused, but after-callbacks ignore it');
    assert.equal(a!.Outcome, 'delivered');
    assert.equal(a!.Url, `${receiver.url}/a`, 'the configured URL');
    assert.ok(a!.LatencyMs >= 0);
  });

  it('retries other statuses with the same event id and a growing attempt number', async () => {
    const e = await eventOf('fails_twice');
    assert.equal(e.State, 'delivered');
    assert.deepEqual(
      (await attemptsOf(e.EventId)).map((a) => [a.Attempt, a.HttpStatus, a.Outcome, a.Error]),
      [
        [1, 500, 'retry', 'HTTP 500'],
        [2, 503, 'retry', 'HTTP 503'],
        [3, 200, 'delivered', ''],
      ],
    );
    const got = receiver.received.filter((r) => r.json.Report_Account === 'fails_twice');
    assert.deepEqual(
      got.map((r) => r.headers['x-readwire-attempt']),
      ['1', '2', '3'],
    );
    assert.ok(got.every((r) => r.headers['x-readwire-event-id'] === e.EventId));
    assert.ok(
      got.every((r) => r.body === got[0]!.body),
      'the same body bytes every time',
    );
    const created = await eventOf('created');
    assert.equal(created.State, 'delivered');
    assert.deepEqual(
      (await attemptsOf(created.EventId)).map((a) => a.HttpStatus),
      [201, 200],
    );
  });

  it('makes an event dead when the schedule is exhausted, keeping it and its last error', async () => {
    const e = await eventOf('garbage');
    assert.equal(e.State, 'dead');
    assert.equal(e.Attempts, 4, 'one attempt and three retries');
    assert.equal(e.LastError, 'response body is not a JSON object');
    const attempts = await attemptsOf(e.EventId);
    assert.deepEqual(
      attempts.map((a) => a.Outcome),
      ['retry', 'retry', 'retry', 'dead'],
    );
  });

  it('fails an attempt on timeout and on a closed connection, then delivers', async () => {
    const slowEvent = await eventOf('slow_once');
    assert.equal(slowEvent.State, 'delivered');
    const [first, second] = await attemptsOf(slowEvent.EventId);
    assert.equal(first!.Error, 'timeout after 400 ms');
    assert.equal(first!.HttpStatus, null);
    assert.equal(second!.Outcome, 'delivered');
    const hung = await eventOf('hangs_up_once');
    assert.equal(hung.State, 'delivered');
    const [h1] = await attemptsOf(hung.EventId);
    assert.equal(h1!.Outcome, 'retry');
    assert.match(h1!.Error, /other side closed|socket|ECONNRESET/);
  });

  it('sends once and gives up with "retry": "none" (Tencent’s behaviour)', async () => {
    const e = await eventOf('none', APP_B);
    assert.equal(e.State, 'dead');
    assert.equal(e.Attempts, 1);
    assert.equal(receiver.received.filter((r) => r.json.Report_Account === 'none').length, 1);
  });
});
