import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, screenshot } from './helpers/browser.ts';
import { APP, OTHER_APP } from './helpers/console-server.ts';
import { openConsoleSession, type ConsoleSession } from './helpers/console-session.ts';
import type { ConsoleServer } from './helpers/console-server.ts';
import type { Receiver } from './helpers/receiver.ts';

const skip = browserSkipReason();

describe('Console in Chromium: login, Live, Endpoints, small screens', { skip, concurrency: false }, () => {
  let session: ConsoleSession;
  let server: ConsoleServer;
  let receiver: Receiver;
  let context: BrowserContext;
  let page: Page;
  const send = (from: string, to: string, text: string) => session.send(from, to, text);

  before(async () => {
    session = await openConsoleSession();
    ({ server, receiver, context, page } = session);
  });

  after(async () => {
    await session?.close();
  });

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

  it('keeps several apps and switches between them with the picker', async () => {
    await page.goto(await server.loginLink(3600, OTHER_APP));
    await page.getByRole('heading', { name: 'Live' }).waitFor();
    const picker = page.getByLabel('App');
    assert.equal(await picker.inputValue(), String(OTHER_APP.sdkAppId));
    await page.goto(`${server.url}/console#/settings`);
    await page.getByText('Callbacks are off for this app').waitFor();
    await picker.selectOption(String(APP.sdkAppId));
    await page.getByLabel('Callback URL').waitFor();
    assert.equal(await page.getByLabel('Callback URL').inputValue(), receiver.url);
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

  it('shows the endpoint with its breaker, success rate and latency', async () => {
    await page.goto(`${server.url}/console#/endpoints`);
    const row = page.locator('tr', { hasText: new URL(receiver.url).origin });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /closed/);
    await screenshot(page, 'endpoints.png');
  });

  it('can be used with the keyboard: skip link, navigation, labelled filters', async () => {
    await page.goto(`${server.url}/console#/live`);
    await page.locator('main h1').waitFor();
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Deliveries');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await page.getByLabel('Account').focus();
    await page.keyboard.type('alice');
    await page.keyboard.press('Enter');
    // The unfiltered list is on the page until the filtered answer replaces it: wait for that answer.
    await page
      .waitForFunction(
        () => {
          const cells = Array.from(document.querySelectorAll('tr[data-event] td:nth-child(4)'));
          return cells.length > 0 && cells.every((c) => c.textContent === 'alice');
        },
        undefined,
        { timeout: 5000 },
      )
      .catch(() => {}); // the assertion below names what was shown instead
    const accounts = await page.locator('tr[data-event] td:nth-child(4)').allTextContents();
    assert.ok(accounts.length > 0 && accounts.every((a) => a === 'alice'), accounts.join());
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
