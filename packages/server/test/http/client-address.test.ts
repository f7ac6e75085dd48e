/**
 * The client address a callback reports as `ClientIP` (REST API and client gateway alike): the trusted-proxy list and
 * the walk through `X-Forwarded-For`.
 * @module
 */
import assert from 'node:assert/strict';
import { clientAddress } from '../../src/http/client-address.ts';
import { createProxyMatcher } from '../../src/http/trusted-proxies.ts';
import { describe, it } from 'node:test';

describe('createProxyMatcher', () => {
  it('matches addresses, CIDRs and named ranges, IPv4-mapped included', () => {
    const m = createProxyMatcher(['10.0.0.0/8', '192.0.2.1', 'fd00::/8', 'loopback']);
    for (const a of ['10.1.2.3', '::ffff:10.1.2.3', '192.0.2.1', 'fd12::1', '127.0.0.1', '::1']) assert.ok(m(a), a);
    for (const a of ['11.0.0.1', '192.0.2.2', 'fe80::1', 'nonsense', '']) assert.ok(!m(a), a);
  });
  it('trusts nobody by default and refuses entries it cannot read', () => {
    assert.equal(createProxyMatcher([])('127.0.0.1'), false);
    assert.throws(() => createProxyMatcher(['proxy.example.com']), /not an address, a CIDR or a known name/);
  });
});

describe('clientAddress', () => {
  const trusted = createProxyMatcher(['10.0.0.0/8']);
  it('uses the socket address when the peer is not a trusted proxy', () => {
    assert.equal(clientAddress('198.51.100.1', '203.0.113.7', trusted), '198.51.100.1');
    assert.equal(clientAddress('::ffff:198.51.100.1', undefined, trusted), '198.51.100.1');
  });
  it('walks X-Forwarded-For from the right past trusted proxies', () => {
    assert.equal(clientAddress('10.0.0.1', '203.0.113.7', trusted), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.1', '6.6.6.6, 203.0.113.7, 10.0.0.2', trusted), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.1', ['6.6.6.6', '203.0.113.7'], trusted), '203.0.113.7');
  });
  it('stops at an entry that is not an address', () => {
    assert.equal(clientAddress('10.0.0.1', 'evil, 10.0.0.3', trusted), '10.0.0.3');
    assert.equal(clientAddress('10.0.0.1', 'garbage', trusted), '10.0.0.1');
  });
});
