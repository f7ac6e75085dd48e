/**
 * SSRF guard: http(s) only; private, loopback, link-local (metadata) and other internal targets are refused unless
 * `allowPrivateCallbackUrls` — at start for the configuration file, in `set_config`, and at connect time for names
 * (checked on the resolved address) and literal addresses.
 */
import assert from 'node:assert/strict';
import { callbackUrlProblem, isPrivateAddress } from '../../src/dispatch/ssrf-guard.ts';
import { after, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { createCallbackAgent } from '../../src/dispatch/callback-agent.ts';
import { parseConfig, startServer } from '../../src/index.ts';
import { startDispatchServer, testConfig, type DispatchServer } from './helpers/dispatch-server.ts';
import { ok, startReceiver } from './helpers/receiver.ts';

describe('SSRF guard', () => {
  it('classifies addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '[::1]',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', 'example.com']) {
      assert.equal(isPrivateAddress(ip), false, ip);
    }
  });

  it('refuses URLs at configuration time', () => {
    assert.match(callbackUrlProblem('ftp://example.com/', false)!, /http/);
    assert.match(callbackUrlProblem('not a url', false)!, /valid URL/);
    for (const url of [
      'http://127.0.0.1:8080/cb',
      'http://localhost/cb',
      'http://api.localhost/cb',
      'http://[::1]/cb',
      'http://169.254.169.254/latest/meta-data',
      'https://10.0.0.5/cb',
    ]) {
      assert.match(callbackUrlProblem(url, false)!, /private, loopback or link-local/, url);
      assert.equal(callbackUrlProblem(url, true), undefined, `${url} allowed with allowPrivateCallbackUrls`);
    }
    assert.equal(callbackUrlProblem('https://example.com/cb?x=1', false), undefined);
  });

  it('judges IPv6 addresses that carry an IPv4 address by that IPv4 address', () => {
    const refused = [
      '::ffff:127.0.0.1', // IPv4-mapped, dotted
      '::ffff:7f00:1', // IPv4-mapped, hex (as URL parsing writes it)
      '::7f00:1', // IPv4-compatible
      '::127.0.0.1',
      '::a9fe:a9fe', // IPv4-compatible 169.254.169.254
      '::ffff:0:a00:1', // IPv4-translated 10.0.0.1
      '64:ff9b::7f00:1', // NAT64 well-known prefix, 127.0.0.1
      '64:ff9b::10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::808:808', // local-use NAT64: refused whole
      '2002:7f00:1::1', // 6to4 of 127.0.0.1
      '2002:c0a8:101::', // 6to4 of 192.168.1.1
      '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo, client 127.0.0.1 (inverted last 32 bits)
      '2001:0:7f00:1:8000:63bf:f7f7:f7f7', // Teredo, server 127.0.0.1, client 8.8.8.8
      '2001::f5ff:fffe', // Teredo, client 10.0.0.1
    ];
    for (const ip of refused) assert.equal(isPrivateAddress(ip), true, ip);
    const allowed = [
      '::808:808',
      '64:ff9b::808:808',
      '2002:808:808::1',
      '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo, client 8.8.8.8
      '2001:4860:4860::8888', // not Teredo (2001:4860::/32)
      '2606:4700:4700::1111',
    ];
    for (const ip of allowed) assert.equal(isPrivateAddress(ip), false, ip);
    for (const ip of ['::7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::1', '2001::f5ff:fffe', '::ffff:127.0.0.1']) {
      assert.match(callbackUrlProblem(`http://[${ip}]:8080/cb`, false)!, /private/, ip);
    }
  });

  it('refuses embedded-IPv4 and private literals at connect time (the agent used for every attempt)', async () => {
    const receiver = await startReceiver(ok());
    const agent = createCallbackAgent({ allowPrivate: false, connections: 1, pipelining: 1, maxResponseBytes: 1024 });
    try {
      for (const host of [
        '127.0.0.1',
        '[::ffff:7f00:1]',
        '[::7f00:1]',
        '[64:ff9b::7f00:1]',
        '[2002:7f00:1::1]',
        'localhost',
      ]) {
        await assert.rejects(
          request(`http://${host}:${receiver.port}/x`, { dispatcher: agent }),
          (e: Error) => /private address/.test(`${e.message} ${String((e.cause as Error | undefined)?.message)}`),
          host,
        );
      }
      assert.equal(receiver.received.length, 0, 'nothing reached the private receiver');
    } finally {
      await agent.close();
      await receiver.close();
    }
  });

  it('refuses to start with a private callback URL in the configuration file unless allowPrivateCallbackUrls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readwire-ssrf-'));
    try {
      for (const url of ['http://127.0.0.1:9/cb', 'http://[::7f00:1]/cb', 'http://[64:ff9b::a9fe:a9fe]/cb']) {
        await assert.rejects(
          startServer(parseConfig(testConfig(dir, { allowPrivateCallbackUrls: false, callbackB: { url } }))),
          /apps\[1\]\.callback\.url .* is refused: .*allowPrivateCallbackUrls/,
          url,
        );
      }
      const s = await startServer(parseConfig(testConfig(dir, { callbackB: { url: 'http://127.0.0.1:9/cb' } })));
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('with allowPrivateCallbackUrls off', () => {
    let s: DispatchServer;
    after(() => s.close());

    it('refuses private targets in set_config', async () => {
      s = await startDispatchServer({ allowPrivateCallbackUrls: false });
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://192.168.0.10/cb',
        'http://[fe80::1]/cb',
        'http://[::7f00:1]/cb',
      ]) {
        const r = await s.call('readwire_callback/set_config', { Callback: { url } });
        assert.equal(r.ErrorCode, 96002, `${url}: ${JSON.stringify(r)}`);
      }
      const ftp = await s.call('readwire_callback/set_config', { Callback: { url: 'file:///etc/passwd' } });
      assert.equal(ftp.ErrorCode, 96001);
    });
  });
});
