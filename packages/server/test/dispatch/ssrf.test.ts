/**
 * SSRF guard: http(s) only; private, loopback, link-local (metadata) and other internal targets are refused unless
 * `allowPrivateCallbackUrls` — in `set_config`, and at connect time for names (checked on the resolved address) and
 * literal addresses in the configuration file.
 */
import assert from 'node:assert/strict';
import { callbackUrlProblem, isPrivateAddress } from '../../src/dispatch/ssrf-guard.ts';
import { after, describe, it } from 'node:test';
import { report, startDispatchServer, type DispatchServer } from './helpers/dispatch-server.ts';
import { ok, startReceiver, type Receiver } from './helpers/receiver.ts';
import { waitFor } from './helpers/wait-for.ts';

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

  describe('with allowPrivateCallbackUrls off', () => {
    let receiver: Receiver;
    let s: DispatchServer;
    after(async () => {
      await s.close();
      await receiver.close();
    });

    it('refuses private targets in set_config and at connect time, for literals and names', async () => {
      receiver = await startReceiver(ok());
      s = await startDispatchServer({
        allowPrivateCallbackUrls: false,
        // A name that resolves to 127.0.0.1 (app A) and a literal loopback address (app B), from the file.
        callbackA: { url: `http://localhost:${receiver.port}/a`, retry: 'none' },
        callbackB: { url: `${receiver.url}/b`, retry: 'none' },
      });
      for (const url of [`${receiver.url}/x`, 'http://192.168.0.10/cb', 'http://[fe80::1]/cb']) {
        const r = await s.call('readwire_callback/set_config', { Callback: { url } });
        assert.equal(r.ErrorCode, 96002, `${url}: ${JSON.stringify(r)}`);
      }
      const ftp = await s.call('readwire_callback/set_config', { Callback: { url: 'file:///etc/passwd' } });
      assert.equal(ftp.ErrorCode, 96001);

      await s.accounts(['alice', 'peer']);
      await s.accounts(['alice', 'peer'], 1400000102);
      assert.equal((await report(s, 'alice', 'peer')).ErrorCode, 0);
      assert.equal((await report(s, 'alice', 'peer', undefined, 1400000102)).ErrorCode, 0);
      const deadOf = async (app: number) =>
        (await s.call('readwire_callback/list_events', { State: 'dead' }, app)).Events as { LastError: string }[];
      await waitFor(async () => (await deadOf(1400000101)).length === 1, 'app A’s event to fail');
      await waitFor(async () => (await deadOf(1400000102)).length === 1, 'app B’s event to fail');
      assert.match((await deadOf(1400000101))[0]!.LastError, /localhost resolves to private address 127\.0\.0\.1/);
      assert.match((await deadOf(1400000102))[0]!.LastError, /127\.0\.0\.1 is a private address/);
      assert.equal(receiver.received.length, 0, 'nothing reached the private receiver');
    });
  });
});
