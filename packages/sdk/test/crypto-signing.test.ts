import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signStandardWebhook, tencentCallbackSign, verifyStandardWebhook } from '../src/index.ts';

describe('tencentCallbackSign', () => {
  it('matches the documented vector (token xxxxyyyy, RequestTime 1669872112)', async () => {
    const expected = '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061';
    assert.equal(await tencentCallbackSign('xxxxyyyy', 1669872112), expected);
    assert.equal(await tencentCallbackSign('xxxxyyyy', '1669872112'), expected);
  });

  it('equals node:crypto sha256(token + time) for non-ASCII tokens', async () => {
    const token = 'tökén-🔑';
    const expected = createHash('sha256').update(`${token}1700000000`).digest('hex');
    assert.equal(await tencentCallbackSign(token, 1700000000), expected);
  });
});

// Vector from the Standard Webhooks / Svix documentation.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signStandardWebhook', () => {
  it('matches the Standard Webhooks spec vector', async () => {
    assert.equal(await signStandardWebhook(SPEC), SPEC.signature);
  });

  it('signs byte bodies the same as string bodies', async () => {
    const bytes = new TextEncoder().encode(SPEC.body);
    assert.equal(await signStandardWebhook({ ...SPEC, body: bytes }), SPEC.signature);
  });

  it('uses a non-whsec secret as its UTF-8 bytes', async () => {
    const mac = createHmac('sha256', 'plain secret').update('e1.1700000000.{}').digest('base64');
    const got = await signStandardWebhook({ secret: 'plain secret', id: 'e1', timestamp: 1700000000, body: '{}' });
    assert.equal(got, `v1,${mac}`);
  });

  it('rejects a whsec_ secret that is not base64', async () => {
    await assert.rejects(signStandardWebhook({ ...SPEC, secret: 'whsec_!!!' }), TypeError);
  });
});

describe('verifyStandardWebhook', () => {
  const base = {
    secret: SPEC.secret,
    id: SPEC.id,
    timestamp: String(SPEC.timestamp),
    signature: SPEC.signature,
    body: SPEC.body,
    now: SPEC.timestamp,
  };

  it('accepts the spec vector', async () => {
    assert.deepEqual(await verifyStandardWebhook(base), { ok: true, timestamp: SPEC.timestamp });
  });

  it('accepts one matching signature among several, and unknown versions are ignored', async () => {
    const signature = `v1a,abc v1,${Buffer.alloc(32).toString('base64')} ${SPEC.signature}`;
    assert.equal((await verifyStandardWebhook({ ...base, signature })).ok, true);
  });

  it('accepts any of several secrets (rotation)', async () => {
    const r = await verifyStandardWebhook({ ...base, secret: ['whsec_b2xkIHNlY3JldA==', SPEC.secret] });
    assert.equal(r.ok, true);
  });

  it('refuses a changed body, id, timestamp or secret', async () => {
    for (const change of [
      { body: '{"test": 2432232315}' },
      { id: 'msg_other' },
      { secret: 'whsec_b2xkIHNlY3JldA==' },
    ]) {
      const r = await verifyStandardWebhook({ ...base, ...change });
      assert.equal(r.ok ? 'ok' : r.code, 'WEBHOOK_SIGNATURE_MISMATCH');
    }
    const r = await verifyStandardWebhook({ ...base, timestamp: String(SPEC.timestamp + 1), now: SPEC.timestamp + 1 });
    assert.equal(r.ok ? 'ok' : r.code, 'WEBHOOK_SIGNATURE_MISMATCH');
  });

  it('refuses timestamps outside the tolerance in both directions', async () => {
    for (const now of [SPEC.timestamp + 301, SPEC.timestamp - 301]) {
      const r = await verifyStandardWebhook({ ...base, now });
      assert.equal(r.ok ? 'ok' : r.code, 'WEBHOOK_TIMESTAMP_OUT_OF_WINDOW');
    }
    assert.equal((await verifyStandardWebhook({ ...base, now: SPEC.timestamp + 300 })).ok, true);
    const narrow = await verifyStandardWebhook({ ...base, now: SPEC.timestamp + 11, toleranceSeconds: 10 });
    assert.equal(narrow.ok, false);
  });

  it('refuses missing headers and malformed timestamps', async () => {
    const missing = await verifyStandardWebhook({ ...base, signature: undefined });
    assert.equal(missing.ok ? 'ok' : missing.code, 'WEBHOOK_SIGNATURE_MISSING');
    const bad = await verifyStandardWebhook({ ...base, timestamp: '1614265330.5' });
    assert.equal(bad.ok ? 'ok' : bad.code, 'WEBHOOK_TIMESTAMP_INVALID');
  });
});

describe('standardWebhookMac', () => {
  it('gives the same MAC through node:crypto and through Web Crypto', async () => {
    const { standardWebhookMac } = await import('../src/crypto/standard-webhook-mac.ts');
    const { nodeCrypto } = await import('../src/crypto/node-crypto.ts');
    assert.ok(nodeCrypto, 'Node 20.16+ exposes process.getBuiltinModule');
    for (const body of [SPEC.body, new TextEncoder().encode('{"é":"🙂"}')]) {
      const viaNode = standardWebhookMac(SPEC.secret, SPEC.id, SPEC.timestamp, body);
      const viaWeb = standardWebhookMac(SPEC.secret, SPEC.id, SPEC.timestamp, body, null);
      assert.ok(viaWeb instanceof Promise);
      assert.deepEqual(new Uint8Array(viaNode as Uint8Array), await viaWeb);
    }
  });
});
