/**
 * The OptPlatform a client-driven callback reports, from the platform the client gave at login.
 * @module
 */
import assert from 'node:assert/strict';
import { toOptPlatform } from '../../src/gateway/opt-platform.ts';
import { describe, it } from 'node:test';

describe('toOptPlatform', () => {
  it('maps Tencent client platforms case-insensitively, anything else to Unknown', () => {
    assert.equal(toOptPlatform('ios'), 'iOS');
    assert.equal(toOptPlatform('IOS'), 'iOS');
    assert.equal(toOptPlatform('macOS'), 'Mac');
    assert.equal(toOptPlatform('ipad'), 'iPad');
    assert.equal(toOptPlatform('RESTAPI'), 'Unknown');
    assert.equal(toOptPlatform(42), 'Unknown');
  });
});
