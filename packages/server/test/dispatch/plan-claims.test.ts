// How much a claim takes of an endpoint's room: half of what is free (all of a last free slot), so events written
// while the claim is in flight can still be leased at insert; never more than claimBatch; apps sharing an endpoint
// share its room.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatcherConfigSchema } from '../../src/config/config-schema.ts';
import type { AppRuntime } from '../../src/core/app-registry.ts';
import { EndpointRegistry } from '../../src/dispatch/endpoint-registry.ts';
import { planClaims } from '../../src/dispatch/plan-claims.ts';

function app(sdkAppId: number, url: string | undefined): AppRuntime {
  return {
    sdkAppId,
    secretKey: 'k',
    admin: 'administrator',
    restRateLimit: 0,
    callback: url === undefined ? undefined : ({ url, timeoutMs: 2000 } as AppRuntime['callback']),
  };
}

describe('planClaims', () => {
  const options = dispatcherConfigSchema.parse({ concurrencyPerEndpoint: 10, claimBatch: 256 });

  it('takes half of the free room, and the last free slot', () => {
    const endpoints = new EndpointRegistry(options);
    const plan = planClaims([app(1, 'http://a.example/cb')], endpoints, options, 0);
    assert.equal(plan.claims[0]!.request.limit, 5);
    assert.equal(plan.complete, true);
    const ep = endpoints.of('http://a.example/cb');
    for (let i = 0; i < 9; i++) ep.begin();
    assert.equal(planClaims([app(1, 'http://a.example/cb')], endpoints, options, 0).claims[0]!.request.limit, 1);
    ep.begin();
    const full = planClaims([app(1, 'http://a.example/cb')], endpoints, options, 0);
    assert.deepEqual(full.claims, []);
    assert.equal(full.complete, false);
  });

  it('never more than claimBatch; apps on one endpoint share it; apps without a URL get nothing', () => {
    const small = dispatcherConfigSchema.parse({ concurrencyPerEndpoint: 100, claimBatch: 8 });
    const endpoints = new EndpointRegistry(small);
    const apps = [
      app(1, 'http://a.example/x'),
      app(2, 'http://a.example/y'),
      app(3, undefined),
      app(4, 'http://b.example/'),
    ];
    const plan = planClaims(apps, endpoints, small, 0);
    assert.deepEqual(
      plan.claims.map((c) => [c.app.sdkAppId, c.request.limit]),
      [
        [1, 8],
        [2, 8],
        [4, 8],
      ],
    );
    const shared = dispatcherConfigSchema.parse({ concurrencyPerEndpoint: 12, claimBatch: 256 });
    const e2 = new EndpointRegistry(shared);
    const p2 = planClaims([app(1, 'http://a.example/x'), app(2, 'http://a.example/y')], e2, shared, 0);
    // 12 free: the first takes 6, the second half of the 6 left.
    assert.deepEqual(
      p2.claims.map((c) => c.request.limit),
      [6, 3],
    );
  });
});
