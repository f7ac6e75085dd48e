import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshot } from './helpers/browser.ts';
import { APP, startConsoleServer, type ConsoleServer } from './helpers/console-server.ts';
import { startReceiver, XSS_ANSWER, type Receiver } from './helpers/receiver.ts';

const skip = browserSkipReason();

describe('Readwire Console in Chromium', { skip, concurrency: false }, () => {
  let receiver: Receiver;
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];

  before(async () => {
    receiver = await startReceiver();
    server = await startConsoleServer(receiver.url);
    await server.rest.multiaccountImport({ Accounts: ['alice', 'bob', 'carol'] });
    ({ browser, context } = await launchBrowser());
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.stop();
  });

  async function send(from: string, to: string, text: string) {
    await server.rest.sendMsg({
      From_Account: from,
      To_Account: to,
      MsgRandom: Math.floor(Math.random() * 1e9),
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
    });
  }

  /** The newest report callback event for `account`, by REST. */
  async function newestReportEvent(account: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const r = await server.rest.listCallbackEvents({ Command: 'C2C.CallbackAfterMsgReport', Account: account });
      const id = (r.Events as { EventId: string }[])[0]?.EventId;
      if (id) return id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no report event for ${account}`);
  }

  it('serves the console with a strict CSP, no framing and long-cached hashed assets', async () => {
    const res = await fetch(`${server.url}/console`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();
    const asset = /\/console\/assets\/[^"]+\.js/.exec(html)?.[0];
    assert.ok(asset, html);
    const js = await fetch(`${server.url}${asset}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  });

  it('logs in with pasted credentials', async () => {
    await page.goto(`${server.url}/console`);
    await page.getByLabel('SDKAppID').fill(String(APP.sdkAppId));
    await page.getByLabel('Admin identifier').fill(APP.admin);
    await page.getByLabel('UserSig').fill('not-a-usersig');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, 'login.png');
    const sig = new URLSearchParams((await server.loginLink()).split('#')[1]).get('sig')!;
    await page.getByLabel('UserSig').fill(sig);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Live' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });

  it('logs in through the link and removes the UserSig from the address', async () => {
    await page.goto(await server.loginLink());
    await page.getByRole('heading', { name: 'Live' }).waitFor();
    assert.doesNotMatch(page.url(), /sig=/);
    const stored = await page.evaluate(() => sessionStorage.getItem('readwire.console.credentials') ?? '');
    assert.match(stored, /"app":"1400000777"/);
  });

  it('shows a REST admin_set_msg_read in Live within 2 s', async (t) => {
    await page.goto(`${server.url}/console#/live`);
    await page.locator('[data-status="live"]').waitFor({ timeout: 10_000 });
    await send('bob', 'alice', 'hi alice');
    const t0 = Date.now();
    await server.rest.adminSetMsgRead({ Report_Account: 'alice', Peer_Account: 'bob' });
    await page.locator('tr[data-kind="report"]', { hasText: 'alice read bob' }).first().waitFor({ timeout: 2000 });
    const ms = Date.now() - t0;
    assert.ok(ms < 2000, `${ms} ms`);
    t.diagnostic(`the read report was listed ${ms} ms after admin_set_msg_read answered`);
    await page.locator('tr[data-kind="callback"][data-outcome="delivered"]').first().waitFor({ timeout: 5000 });
    for (let i = 0; i < 6; i++) {
      await send('carol', 'bob', `message ${i}`);
      if (i % 2 === 0) await server.rest.adminSetMsgRead({ Report_Account: 'bob', Peer_Account: 'carol' });
      await page.waitForTimeout(600);
    }
    await page.waitForTimeout(1100);
    await screenshot(page, 'live.png');
  });

  it('follows an event through retrying and dead, and Replay delivers it', async () => {
    await receiver.stop();
    await send('carol', 'alice', 'while the receiver is down');
    await server.rest.adminSetMsgRead({ Report_Account: 'alice', Peer_Account: 'carol' });
    const id = await newestReportEvent('alice');
    await page.goto(`${server.url}/console#/deliveries/${encodeURIComponent(id)}`);
    const state = page.getByTestId('event-state');
    await page.locator('[data-testid="event-state"]', { hasText: 'retrying' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="event-state"]', { hasText: 'dead' }).waitFor({ timeout: 15_000 });
    await receiver.start();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.locator('[data-testid="event-state"]', { hasText: 'delivered' }).waitFor({ timeout: 10_000 });
    assert.equal(await state.textContent(), 'delivered');
    assert.ok((await page.locator('table.attempts tbody tr').count()) >= 5, 'four failed attempts and the replay');
    await screenshot(page, 'event.png', true);
    await page.goto(`${server.url}/console#/deliveries`);
    await page.locator('tr[data-state="delivered"]').first().waitFor();
    await screenshot(page, 'deliveries.png');
  });

  it('replays all dead events of a filter after a confirmation that counts them', async () => {
    await receiver.stop();
    await send('carol', 'bob', 'down again');
    await send('alice', 'carol', 'down again');
    await server.rest.adminSetMsgRead({ Report_Account: 'bob', Peer_Account: 'carol' });
    await server.rest.adminSetMsgRead({ Report_Account: 'carol', Peer_Account: 'alice' });
    const filter = { State: 'dead', Command: 'C2C.CallbackAfterMsgReport' } as const;
    for (let i = 0; ; i++) {
      const r = await server.rest.listCallbackEvents(filter);
      if (r.Events.length === 2) break;
      assert.ok(i < 100, `dead events: ${r.Events.length}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await receiver.start();
    await page.goto(`${server.url}/console#/deliveries`);
    await page.getByLabel('Command').fill('C2C.CallbackAfterMsgReport');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: 'Replay all dead…' }).click();
    await page.getByRole('alertdialog').getByText('Replay 2 dead events matching this filter?').waitFor();
    await screenshot(page, 'replay-all.png');
    await page.getByRole('button', { name: 'Replay 2' }).click();
    await page.getByText('2 dead events were queued again.').waitFor();
    for (let i = 0; ; i++) {
      const r = await server.rest.listCallbackEvents(filter);
      if (r.Events.length === 0) break;
      assert.ok(i < 100, `still dead: ${r.Events.length}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('shows a receiver answering HTML as text, and no dialog fires', async () => {
    receiver.mode = 'xss';
    await page.goto(`${server.url}/console#/settings`);
    await page.getByRole('button', { name: 'Send a test callback' }).click();
    const answer = page.getByTestId('test-answer');
    await answer.waitFor({ timeout: 10_000 });
    assert.match((await answer.textContent()) ?? '', /<img src=x onerror=alert\(1\)>/);
    assert.equal(await page.locator('img').count(), 0);
    await screenshot(page, 'settings.png', true);
    await send('bob', 'carol', XSS_ANSWER);
    await server.rest.adminSetMsgRead({ Report_Account: 'carol', Peer_Account: 'bob' });
    const id = await newestReportEvent('carol');
    await page.goto(`${server.url}/console#/deliveries/${encodeURIComponent(id)}`);
    await page.locator('table.attempts td.excerpt', { hasText: XSS_ANSWER }).first().waitFor({ timeout: 10_000 });
    await page.goto(`${server.url}/console#/users/carol`);
    await page.locator('tr[data-peer="bob"]', { hasText: XSS_ANSWER }).waitFor();
    assert.equal(await page.locator('img').count(), 0);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    receiver.mode = 'ok';
  });

  it('rotates the signing secret and replaces the token, showing them masked', async () => {
    await page.goto(`${server.url}/console#/settings`);
    await page.getByRole('button', { name: 'Create a signing secret' }).click();
    const note = page.getByText(/New signing secret, shown only now/);
    await note.waitFor();
    const secret = /: (\S+)$/.exec((await note.textContent()) ?? '')?.[1] ?? '';
    assert.ok(secret.length >= 8, secret);
    assert.equal(await page.getByTestId('signing-secret').textContent(), `••••${secret.slice(-4)}`);
    await page.getByLabel('New token').fill('console-token-abcd');
    await page.getByRole('button', { name: 'Replace token' }).click();
    await page.getByTestId('token').getByText('••••abcd').waitFor();
    const cfg = await server.rest.getCallbackConfig({ ShowSecrets: true });
    assert.equal(cfg.Callback?.token, 'console-token-abcd');
    assert.equal(cfg.Callback?.signingSecret, secret);
  });

  it('shows the same unread counts on the Users page as the REST answers', async () => {
    await send('bob', 'alice', 'one');
    await send('bob', 'alice', 'two');
    await send('carol', 'alice', 'three');
    const rest = await server.rest.getC2cUnreadMsgNum({ To_Account: 'alice' });
    await page.goto(`${server.url}/console#/users/alice`);
    const total = page.getByTestId('total-unread');
    await total.waitFor();
    assert.equal(Number(await total.textContent()), rest.AllC2CUnreadMsgNum);
    for (const p of rest.C2CUnreadMsgNumList ?? []) {
      const cell = page.locator(`tr[data-peer="${p.Peer_Account}"] [data-testid="unread"]`);
      assert.equal(Number(await cell.textContent()), p.C2CUnreadMsgNum, p.Peer_Account);
    }
    await screenshot(page, 'users.png');
    await page.locator('tr[data-peer="bob"]').getByRole('button', { name: 'Mark read' }).click();
    await page.locator('tr[data-peer="bob"] [data-testid="unread"]', { hasText: /^0$/ }).waitFor();
    const after = await server.rest.getC2cUnreadMsgNum({ To_Account: 'alice' });
    assert.equal(Number(await total.textContent()), after.AllC2CUnreadMsgNum);
  });

  it('shows the endpoint with its breaker, success rate and latency', async () => {
    await page.goto(`${server.url}/console#/endpoints`);
    const row = page.locator('tr', { hasText: new URL(receiver.url).origin });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /closed/);
    await screenshot(page, 'endpoints.png');
  });

  it('closes the live stream when the UserSig expires and says to log in again', async () => {
    const other = await context.browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await other.newPage();
      await p.goto(await server.loginLink(3));
      await p.locator('[data-status="live"]').waitFor({ timeout: 5000 });
      await p.locator('[data-status="expired"]').waitFor({ timeout: 8000 });
      assert.match((await p.locator('[data-status="expired"]').textContent()) ?? '', /log in again/);
    } finally {
      await other.close();
    }
  });

  it('fits a 390 px wide screen without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const route of ['live', 'deliveries', 'endpoints', 'users/alice', 'settings']) {
      await page.goto(`${server.url}/console#/${route}`);
      await page.locator('main h1').waitFor();
      await page.waitForTimeout(300);
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      assert.ok(scroll <= client, `${route}: scrollWidth ${scroll} > ${client}`);
      if (route === 'live') await screenshot(page, 'live-390.png');
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
