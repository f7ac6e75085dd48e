/**
 * UserSig decompression bombs against a real server: REST, a gateway login frame and credentials in the WebSocket URL
 * are each refused quickly (70003, or 93000 for a login frame over `maxLoginFrameBytes`) and leave memory flat.
 * @module
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { UserSigVerifier } from '../../src/auth/usersig-cache.ts';
import type { ImError } from '../../src/errors/im-error.ts';
import { APP, SECRET, startFixture, type GatewayFixture } from './helpers/gateway-fixture.ts';
import { RawClient } from './helpers/raw-client.ts';

/** A UserSig-encoded zlib stream of `bytes` spaces. */
function bomb(bytes: number): string {
  const compressed = deflateSync(Buffer.alloc(bytes, 0x20), { level: 9 });
  return compressed.toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

const SIG_11_MB = bomb(11.5 * 2 ** 20); // about 15,000 characters
const SIG_48_MB = bomb(48 * 2 ** 20); // about 63,000 characters
const SIG_2_MB = bomb(2 * 2 ** 20); // under 4,096 characters

let fx: GatewayFixture;
before(async () => {
  fx = await startFixture();
});
after(() => fx.close());

/** Runs `attempt` `n` times, `parallel` at a time: mean ms per attempt and the growth of arrayBuffers and RSS (MB). */
async function measure(
  n: number,
  parallel: number,
  attempt: () => Promise<void>,
): Promise<{ meanMs: number; arrayBuffersMb: number; rssMb: number }> {
  const base = process.memoryUsage();
  let arrayBuffers = 0;
  let rss = 0;
  const started = performance.now();
  for (let i = 0; i < n; i += parallel) {
    await Promise.all(Array.from({ length: parallel }, attempt));
    const m = process.memoryUsage();
    arrayBuffers = Math.max(arrayBuffers, m.arrayBuffers - base.arrayBuffers);
    rss = Math.max(rss, m.rss - base.rss);
  }
  return { meanMs: (performance.now() - started) / n, arrayBuffersMb: arrayBuffers / 2 ** 20, rssMb: rss / 2 ** 20 };
}

async function restCode(userSig: string): Promise<number> {
  const q = `sdkappid=${APP}&identifier=admin&usersig=${userSig}&random=1&contenttype=json`;
  const res = await fetch(`${fx.server.url}/v4/openim/get_c2c_unread_msg_num?${q}`, {
    method: 'POST',
    body: '{"To_Account":"admin"}',
  });
  return ((await res.json()) as { ErrorCode: number }).ErrorCode;
}

/** The HTTP status and body a WebSocket upgrade to `url` is refused with. */
function upgradeRefusal(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace('ws:', 'http:'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'x'.repeat(22) + '==',
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
}

describe('UserSig decompression bombs', () => {
  it('REST: the 15,000-character sig inflating to 11.5 MB is 70003, quickly, with flat memory', async (t) => {
    assert.ok(SIG_11_MB.length > 10_000);
    const started = performance.now();
    assert.equal(await restCode(SIG_11_MB), 70003);
    const first = performance.now() - started;
    const r = await measure(200, 10, async () => assert.equal(await restCode(SIG_11_MB), 70003));
    t.diagnostic(
      `first ${first.toFixed(2)} ms; ${r.meanMs.toFixed(3)} ms per request (HTTP included), ` +
        `arrayBuffers +${r.arrayBuffersMb.toFixed(1)} MB, RSS +${r.rssMb.toFixed(1)} MB over 200`,
    );
    assert.ok(r.arrayBuffersMb < 16, `arrayBuffers grew ${r.arrayBuffersMb.toFixed(1)} MB`);
    assert.ok(r.rssMb < 64, `RSS grew ${r.rssMb.toFixed(1)} MB`);
    assert.equal(await restCode(SIG_2_MB), 70003);
  });

  it('gateway: a 63 KB login frame (sig inflating to 48 MB) is refused unread (93000), a short bomb is 70003', async (t) => {
    const frame = JSON.stringify({ id: 1, op: 'login', data: { sdkAppId: APP, userId: 'u', userSig: SIG_48_MB } });
    assert.ok(frame.length > 60_000);
    const c = await RawClient.connect(fx.wsUrl);
    const r = await measure(5, 1, async () => {
      const from = c.frames.length;
      c.sendRaw(frame);
      const reply = await c.waitFor((f) => f.type === 'reply', 10_000, from);
      assert.equal(reply.error!.code, 93000);
    });
    t.diagnostic(
      `${r.meanMs.toFixed(3)} ms per 63 KB login frame (round trip), arrayBuffers +${r.arrayBuffersMb.toFixed(1)} MB, ` +
        `RSS +${r.rssMb.toFixed(1)} MB`,
    );
    assert.ok(r.arrayBuffersMb < 16, `arrayBuffers grew ${r.arrayBuffersMb.toFixed(1)} MB`);
    assert.ok(r.rssMb < 64, `RSS grew ${r.rssMb.toFixed(1)} MB`);
    c.close();
    // Under the frame cap, the sig itself is refused: too long (70003), or inflating too far (70003).
    for (const userSig of [SIG_11_MB.slice(0, 7000), SIG_2_MB]) {
      const d = await RawClient.connect(fx.wsUrl);
      const reply = await d.request('login', { sdkAppId: APP, userId: 'u', userSig });
      assert.equal(reply.error!.code, 70003);
      d.close();
    }
  });

  it('the verifier itself refuses each bomb in well under 1 ms', async (t) => {
    const verifier = new UserSigVerifier();
    for (const [name, sig] of [
      ['11.5 MB', SIG_11_MB],
      ['48 MB', SIG_48_MB],
      ['2 MB', SIG_2_MB],
    ] as const) {
      const n = 50;
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        await assert.rejects(verifier.verify(APP, SECRET, 'u', sig), (e: ImError) => e.errorCode === 70003);
      }
      const used = process.cpuUsage(cpu);
      const meanMs = (performance.now() - started) / n;
      const cpuMs = (used.user + used.system) / 1000 / n;
      t.diagnostic(
        `${name} bomb (${sig.length} characters): ${meanMs.toFixed(4)} ms (${cpuMs.toFixed(4)} ms CPU) per refusal`,
      );
      // CPU time: on a shared machine the wall clock also counts waiting for a core.
      assert.ok(cpuMs < 1, `${name}: ${cpuMs.toFixed(3)} ms of CPU per refusal`);
    }
  });

  it('gateway URL credentials: the 15,000-character bomb is refused before the upgrade with 401 / 70003', async () => {
    const refused = await upgradeRefusal(`${fx.wsUrl}?sdkappid=${APP}&userid=u&usersig=${SIG_11_MB}`);
    assert.equal(refused.status, 401);
    assert.equal(JSON.parse(refused.body).ErrorCode, 70003);
  });
});
