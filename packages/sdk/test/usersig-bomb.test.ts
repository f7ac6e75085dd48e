/**
 * Decompression bombs and oversized UserSigs: refused as garbled (70003) quickly and without a large allocation,
 * on the `node:zlib` path and on the Web-stream path other runtimes take.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { genUserSig, MAX_USERSIG_INFLATED_BYTES, verifyUserSig } from '../src/index.ts';
import { zlibInflateBounded, zlibInflateBoundedWeb, InflateLimitError } from '../src/crypto/zlib.ts';

const SDKAPPID = 1400000000;
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';

/** A UserSig-encoded zlib stream of `bytes` spaces: tiny on the wire, huge once inflated. */
function bomb(bytes: number): string {
  const compressed = deflateSync(Buffer.alloc(bytes, 0x20), { level: 9 });
  return compressed.toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

/** Runs `attempts` verifications of `userSig`, `parallel` at a time; the mean time and the largest memory growth seen. */
async function attack(
  userSig: string,
  attempts: number,
  parallel: number,
): Promise<{ meanMs: number; cpuMs: number; arrayBuffersMb: number; rssMb: number; codes: Set<number> }> {
  global.gc?.();
  const base = process.memoryUsage();
  let maxArrayBuffers = 0;
  let maxRss = 0;
  const codes = new Set<number>();
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let done = 0; done < attempts; done += parallel) {
    const results = await Promise.all(
      Array.from({ length: parallel }, () =>
        verifyUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, userId: 'u', userSig }),
      ),
    );
    const m = process.memoryUsage();
    maxArrayBuffers = Math.max(maxArrayBuffers, m.arrayBuffers - base.arrayBuffers);
    maxRss = Math.max(maxRss, m.rss - base.rss);
    for (const r of results) codes.add(r.ok ? 0 : r.errorCode);
  }
  const meanMs = (performance.now() - started) / attempts;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / attempts;
  return { meanMs, cpuMs, arrayBuffersMb: maxArrayBuffers / 2 ** 20, rssMb: maxRss / 2 ** 20, codes };
}

describe('UserSig decompression bombs', () => {
  it('refuses a 15,000-character UserSig inflating to 11.5 MB with 70003, fast and without allocating it', async (t) => {
    const sig = bomb(11.5 * 2 ** 20);
    assert.ok(sig.length > 10_000 && sig.length < 20_000, `bomb is ${sig.length} characters`);
    const r = await attack(sig, 40, 8);
    t.diagnostic(
      `${r.meanMs.toFixed(4)} ms per refusal (${r.cpuMs.toFixed(4)} ms of CPU); arrayBuffers +${r.arrayBuffersMb.toFixed(2)} MB, RSS +${r.rssMb.toFixed(1)} MB`,
    );
    assert.deepEqual([...r.codes], [70003]);
    assert.ok(r.cpuMs < 1, `${r.cpuMs.toFixed(3)} ms of CPU per refusal`);
    assert.ok(r.arrayBuffersMb < 8, `arrayBuffers grew ${r.arrayBuffersMb.toFixed(1)} MB`);
    assert.ok(r.rssMb < 64, `RSS grew ${r.rssMb.toFixed(1)} MB`);
  });

  it('refuses a 63 KB UserSig inflating to 48 MB with 70003, fast and without allocating it', async (t) => {
    const sig = bomb(48 * 2 ** 20);
    assert.ok(sig.length > 60_000, `bomb is ${sig.length} characters`);
    const r = await attack(sig, 20, 4);
    t.diagnostic(
      `${r.meanMs.toFixed(4)} ms per refusal (${r.cpuMs.toFixed(4)} ms of CPU); arrayBuffers +${r.arrayBuffersMb.toFixed(2)} MB, RSS +${r.rssMb.toFixed(1)} MB`,
    );
    assert.deepEqual([...r.codes], [70003]);
    assert.ok(r.cpuMs < 1, `${r.cpuMs.toFixed(3)} ms of CPU per refusal`);
    assert.ok(r.arrayBuffersMb < 8, `arrayBuffers grew ${r.arrayBuffersMb.toFixed(1)} MB`);
  });

  it('refuses a short UserSig (under the length cap) that inflates to 2 MB, stopping at the inflated cap', async (t) => {
    const sig = bomb(2 * 2 ** 20);
    assert.ok(sig.length < 4096, `bomb is ${sig.length} characters`);
    const r = await attack(sig, 40, 8);
    t.diagnostic(
      `${r.meanMs.toFixed(4)} ms per refusal (${r.cpuMs.toFixed(4)} ms of CPU); arrayBuffers +${r.arrayBuffersMb.toFixed(2)} MB, RSS +${r.rssMb.toFixed(1)} MB`,
    );
    assert.deepEqual([...r.codes], [70003]);
    assert.ok(r.cpuMs < 1, `${r.cpuMs.toFixed(3)} ms of CPU per refusal`);
    assert.ok(r.arrayBuffersMb < 8, `arrayBuffers grew ${r.arrayBuffersMb.toFixed(1)} MB`);
  });

  it('still verifies a real UserSig', async () => {
    const userSig = await genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, userId: 'u' });
    const r = await verifyUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, userId: 'u', userSig });
    assert.equal(r.ok, true);
  });
});

describe('bounded inflate', () => {
  const small = new Uint8Array(deflateSync(Buffer.from('{"a":1}')));
  const exact = new Uint8Array(deflateSync(Buffer.alloc(MAX_USERSIG_INFLATED_BYTES, 0x61)));
  const over = new Uint8Array(deflateSync(Buffer.alloc(MAX_USERSIG_INFLATED_BYTES + 1, 0x61)));
  const huge = new Uint8Array(deflateSync(Buffer.alloc(32 * 2 ** 20, 0x20), { level: 9 }));
  const corrupt = new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0xff, 0x00]);

  for (const [name, inflate] of [
    ['node:zlib', zlibInflateBounded],
    ['Web stream', zlibInflateBoundedWeb],
  ] as const) {
    it(`${name}: inflates up to the limit, refuses beyond it and rejects corrupt input`, async () => {
      assert.equal(new TextDecoder().decode(await inflate(small, MAX_USERSIG_INFLATED_BYTES)), '{"a":1}');
      assert.equal((await inflate(exact, MAX_USERSIG_INFLATED_BYTES)).length, MAX_USERSIG_INFLATED_BYTES);
      await assert.rejects(inflate(over, MAX_USERSIG_INFLATED_BYTES), InflateLimitError);
      // CPU time, not wall time: on a shared machine the wall clock also counts waiting for a core.
      const cpu = process.cpuUsage();
      await assert.rejects(inflate(huge, MAX_USERSIG_INFLATED_BYTES), InflateLimitError);
      const used = process.cpuUsage(cpu);
      const ms = (used.user + used.system) / 1000;
      assert.ok(ms < 50, `a 32 MB bomb took ${ms.toFixed(2)} ms of CPU to refuse`);
      await assert.rejects(inflate(corrupt, MAX_USERSIG_INFLATED_BYTES));
    });
  }
});
