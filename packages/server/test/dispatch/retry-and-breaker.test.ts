/**
 * The retry schedule (default, "none", jitter, Retry-After) and the circuit breaker as units, and the backoff as the
 * receiver sees it (lower bounds only, so a slow machine cannot make it flaky).
 */
import assert from 'node:assert/strict';
import { CircuitBreaker } from '../../src/dispatch/circuit-breaker.ts';
import { DEFAULT_RETRY_DELAYS_S, nextRetryDelayMs, retryDelaysS } from '../../src/dispatch/retry-schedule.ts';
import { describe, it } from 'node:test';
import { report, startDispatchServer } from './helpers/dispatch-server.ts';
import { ok, startReceiver, status } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('retry schedule', () => {
  it('defaults to about 0 s, 1 s, 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h', () => {
    assert.deepEqual(retryDelaysS(undefined), [1, 5, 30, 120, 600, 1800, 3600, 10_800, 21_600]);
    assert.equal(retryDelaysS(undefined), DEFAULT_RETRY_DELAYS_S);
    assert.deepEqual(retryDelaysS('none'), []);
    assert.deepEqual(retryDelaysS([0.5, 2]), [0.5, 2]);
  });

  it('spreads each delay by the jitter, honours Retry-After, and ends when the schedule does', () => {
    const delays = [1, 5, 30];
    assert.equal(nextRetryDelayMs(delays, 1, 0), 1000);
    assert.equal(
      nextRetryDelayMs(delays, 2, 0.2, 0, () => 0),
      4000,
    );
    assert.equal(
      nextRetryDelayMs(delays, 2, 0.2, 0, () => 0.999999),
      6000,
    );
    assert.equal(nextRetryDelayMs(delays, 3, 0, 120_000), 120_000, 'Retry-After longer than the schedule');
    assert.equal(nextRetryDelayMs(delays, 3, 0, 100 * 3600_000), 6 * 3600_000, 'Retry-After is capped');
    assert.equal(nextRetryDelayMs(delays, 4, 0), undefined, 'schedule exhausted: dead');
    assert.equal(nextRetryDelayMs([], 1, 0), undefined, '"none": one attempt only');
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one probe through, doubles its wait, closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 100, maxOpenMs: 250 }, () => now);
    assert.equal(b.allowance(), Number.POSITIVE_INFINITY);
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    assert.equal(b.state, 'closed', 'a success resets the count');
    assert.equal(b.onFailure(), true);
    assert.equal(b.state, 'open');
    assert.equal(b.allowance(), 0);
    assert.equal(b.retryAt, 100);
    now = 100;
    assert.equal(b.state, 'half-open');
    assert.equal(b.allowance(), 1);
    b.onStart();
    assert.equal(b.allowance(), 0, 'one probe at a time');
    assert.equal(b.onFailure(), false, 'a failed probe reopens quietly');
    assert.equal(b.state, 'open');
    assert.equal(b.retryAt, 300, 'the wait doubled');
    now = 300;
    b.onStart();
    b.onFailure();
    assert.equal(b.retryAt, 550, 'capped at maxOpenMs');
    now = 550;
    b.onStart();
    b.onAbandon();
    assert.equal(b.allowance(), 1, 'an abandoned probe frees the slot');
    b.onStart();
    assert.equal(b.onSuccess(), true, 'recovered');
    assert.equal(b.state, 'closed');
    assert.equal(b.allowance(), Number.POSITIVE_INFINITY);
  });
});

describe('backoff as the receiver sees it', () => {
  it('waits at least the scheduled delay (minus jitter) between attempts, and honours Retry-After', async () => {
    const receiver = await startReceiver();
    let n = 0;
    receiver.behaviour = (r, res) => {
      n++;
      if (n === 1) return status(503, { 'retry-after': '1' })(r, res);
      return (n < 4 ? status(500) : ok())(r, res);
    };
    const s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/cb`, retry: [0.1, 0.3, 0.6] },
      dispatcher: { retryJitter: 0.2, breakerFailureThreshold: 100 },
    });
    try {
      await s.accounts(['alice', 'peer']);
      assert.equal((await report(s, 'alice', 'peer')).ErrorCode, 0);
      await waitFor(() => receiver.received.length === 4, 'four attempts');
      const at = receiver.received.map((r) => r.at);
      const gaps = at.slice(1).map((t, i) => t - at[i]!);
      assert.ok(gaps[0]! >= 950, `Retry-After: 1 s (got ${gaps[0]} ms)`);
      assert.ok(gaps[1]! >= 0.3 * 800 - 20, `second retry ≥ 240 ms (got ${gaps[1]} ms)`);
      assert.ok(gaps[2]! >= 0.6 * 800 - 20, `third retry ≥ 480 ms (got ${gaps[2]} ms)`);
    } finally {
      await s.close();
      await receiver.close();
    }
  });
});
