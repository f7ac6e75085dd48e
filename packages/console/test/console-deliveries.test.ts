import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, screenshot } from './helpers/browser.ts';
import { XSS_ANSWER } from './helpers/receiver.ts';
import { openConsoleSession, type ConsoleSession } from './helpers/console-session.ts';
import type { ConsoleServer } from './helpers/console-server.ts';
import type { Receiver } from './helpers/receiver.ts';

const skip = browserSkipReason();

describe('Console in Chromium: Deliveries, replay, escaping, settings, Users', { skip, concurrency: false }, () => {
  let session: ConsoleSession;
  let server: ConsoleServer;
  let receiver: Receiver;
  let page: Page;
  let dialogs: string[];
  const send = (from: string, to: string, text: string) => session.send(from, to, text);
  const newestReportEvent = (account: string) => session.newestReportEvent(account);

  before(async () => {
    session = await openConsoleSession();
    ({ server, receiver, page, dialogs } = session);
  });

  after(async () => {
    await session?.close();
  });

  it('logs in through the link', async () => {
    await page.goto(await server.loginLink());
    await page.getByRole('heading', { name: 'Live' }).waitFor();
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
});
