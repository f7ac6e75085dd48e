import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../../src/auth/rate-limiter.ts';

/** Calls taken out of `tries` at one instant. */
function burst(limiter: RateLimiter, limit: number, tries: number, at = 0): number {
  let n = 0;
  for (let i = 0; i < tries; i++) if (limiter.take('app/cmd', limit, at)) n++;
  return n;
}

describe('restRateLimit is per deployment', () => {
  it('one node enforces the whole limit', () => {
    assert.equal(burst(new RateLimiter(), 200, 1000), 200);
  });

  it('each of three nodes enforces a third (rounded up), and the share follows the node count', () => {
    let nodes = 3;
    const limiter = new RateLimiter(() => nodes);
    assert.equal(burst(limiter, 200, 1000), 67);
    // One second later, with one node gone: half the limit per node.
    nodes = 2;
    assert.equal(burst(limiter, 200, 1000, 1000), 100);
  });
});
