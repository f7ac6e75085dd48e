/**
 * The console in Firefox. Playwright drives only its own patched Firefox builds (and Debian's Firefox ESR lacks a
 * WebDriver BiDi command Playwright needs), so this test starts Debian's `firefox-esr` headless on a login link and
 * watches, through a recording reverse proxy in front of the real server, what the page does: it loads the bundle,
 * takes the credentials from the fragment, sends them only in the `Authorization` header, and reads the Live
 * stream, which carries a read report made over REST.
 * @module
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startConsoleServer, type ConsoleServer } from './helpers/console-server.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';

const FIREFOX = '/usr/bin/firefox-esr';

function skipReason(): string | undefined {
  if (existsSync(FIREFOX)) return undefined;
  if (process.env.CI) throw new Error(`${FIREFOX} is missing in CI: .ci/run should have installed firefox-esr`);
  return `${FIREFOX} is missing: install Debian's firefox-esr package to run the Firefox test`;
}

/** What the proxy saw of one request. */
interface Seen {
  method: string;
  url: string;
  userAgent: string;
  authorization: string | undefined;
  status?: number;
  contentType?: string;
  body: string;
}

/** A reverse proxy that records every request and the text of every response it relays. */
async function recordingProxy(target: string): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const s: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      userAgent: req.headers['user-agent'] ?? '',
      authorization: req.headers.authorization,
      body: '',
    };
    seen.push(s);
    const out = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        s.status = up.statusCode;
        s.contentType = String(up.headers['content-type'] ?? '');
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('data', (chunk: Buffer) => {
          s.body += chunk.toString();
          res.write(chunk);
        });
        up.on('end', () => res.end());
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Console in Firefox (Debian firefox-esr, headless)', { skip: skipReason() }, () => {
  let server: ConsoleServer;
  let receiver: Receiver;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let firefox: ChildProcess | undefined;
  let profile: string;

  before(async () => {
    receiver = await startReceiver();
    server = await startConsoleServer(receiver.url);
    proxy = await recordingProxy(server.url);
    profile = mkdtempSync(join(tmpdir(), 'readwire-firefox-'));
    // A quiet profile: no update checks, telemetry or first-run pages on a machine without the internet.
    const prefs = {
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'browser.startup.homepage_override.mstone': 'ignore',
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'network.captive-portal-service.enabled': false,
      'browser.safebrowsing.update.enabled': false,
    };
    writeFileSync(
      join(profile, 'user.js'),
      Object.entries(prefs)
        .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
        .join('\n'),
    );
  });

  after(async () => {
    if (firefox && firefox.exitCode === null) {
      const exited = new Promise((r) => firefox!.once('exit', r));
      firefox.kill('SIGKILL');
      await exited;
    }
    proxy?.server.closeAllConnections();
    await new Promise((r) => (proxy ? proxy.server.close(r) : r(undefined)));
    await server?.close();
    await receiver?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('logs in from the link, keeps the UserSig out of every URL and streams a REST read report into Live', async () => {
    const link = (await server.loginLink()).replace(server.url, proxy.url);
    const sig = new URLSearchParams(link.split('#')[1]).get('sig')!;
    firefox = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, link], {
      stdio: 'ignore',
      env: { ...process.env, MOZ_HEADLESS: '1' },
    });
    const live = () =>
      proxy.seen.find((s) => s.url.startsWith('/v4/readwire_console/live') && s.contentType?.startsWith('text/'));
    await waitFor(() => live() !== undefined, 'Firefox to open the Live stream');
    const stream = live()!;
    assert.match(stream.userAgent, /Firefox\//);
    assert.equal(stream.method, 'POST');
    assert.equal(stream.status, 200);
    assert.match(stream.contentType ?? '', /^text\/event-stream/);
    assert.equal(stream.authorization, `UserSig ${sig}`);
    assert.ok(
      proxy.seen.some((s) => /^\/console\/assets\/.+\.js$/.test(s.url)),
      'the bundle was fetched',
    );
    for (const s of proxy.seen) {
      assert.ok(!s.url.includes(encodeURIComponent(sig)) && !s.url.includes(sig), `UserSig in a URL: ${s.url}`);
      assert.doesNotMatch(s.url, /usersig=/i);
    }

    await server.rest.multiaccountImport({ Accounts: ['ff-alice', 'ff-bob'] });
    await server.rest.adminSetMsgRead({ Report_Account: 'ff-alice', Peer_Account: 'ff-bob' });
    await waitFor(() => /"Report_Account":"ff-alice"/.test(stream.body), 'the report in the stream Firefox reads');
  });
});
