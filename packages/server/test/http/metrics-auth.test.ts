/**
 * `/metrics` names every callback endpoint's origin: with `metrics.token` set it answers only requests that carry the
 * token as a bearer token; without one it stays open (the `npm start` setup listens on 127.0.0.1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestServer } from '../helpers/start-test-server.ts';

describe('/metrics protection', () => {
  it('with metrics.token: 401 without or with a wrong token, 200 with it; /healthz stays open', async () => {
    const token = 'metrics-token-0123456789';
    const t = await startTestServer({ metrics: { token } });
    try {
      const plain = await fetch(`${t.url}/metrics`);
      assert.equal(plain.status, 401);
      assert.equal(plain.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      assert.doesNotMatch(await plain.text(), /readwire_/);
      for (const authorization of [`Bearer ${token}x`, `Bearer ${token.slice(1)}`, token, `Basic ${token}`]) {
        assert.equal((await fetch(`${t.url}/metrics`, { headers: { authorization } })).status, 401, authorization);
      }
      const good = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(good.status, 200);
      assert.match(await good.text(), /readwire_rest_requests_total|process_cpu/);
      assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
    } finally {
      await t.close();
    }
  });

  it('without a token /metrics is open', async () => {
    const t = await startTestServer();
    try {
      assert.equal((await fetch(`${t.url}/metrics`)).status, 200);
    } finally {
      await t.close();
    }
  });

  it('refuses a token shorter than 16 characters', async () => {
    await assert.rejects(startTestServer({ metrics: { token: 'short' } }), /metrics\.token: must be at least 16/);
  });
});
