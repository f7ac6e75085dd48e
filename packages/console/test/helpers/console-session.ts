import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { startReceiver, type Receiver } from './receiver.ts';

/** A receiver, a `readwire serve` child and a Chromium page, for one test file. */
export interface ConsoleSession {
  receiver: Receiver;
  server: ConsoleServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Messages of every dialog (alert, confirm…) the page opened; none is expected. */
  dialogs: string[];
  /** `openim/sendmsg` of one text message. */
  send(from: string, to: string, text: string): Promise<void>;
  /** The newest `C2C.CallbackAfterMsgReport` event id of `account` (waits for it). */
  newestReportEvent(account: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts everything, imports alice, bob and carol, and opens a 1280×800 page. */
export async function openConsoleSession(): Promise<ConsoleSession> {
  const receiver = await startReceiver();
  const server = await startConsoleServer(receiver.url);
  await server.rest.multiaccountImport({ Accounts: ['alice', 'bob', 'carol'] });
  const { browser, context } = await launchBrowser();
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return {
    receiver,
    server,
    browser,
    context,
    page,
    dialogs,
    async send(from, to, text) {
      await server.rest.sendMsg({
        From_Account: from,
        To_Account: to,
        MsgRandom: Math.floor(Math.random() * 1e9),
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
      });
    },
    async newestReportEvent(account) {
      for (let i = 0; i < 50; i++) {
        const r = await server.rest.listCallbackEvents({ Command: 'C2C.CallbackAfterMsgReport', Account: account });
        const id = (r.Events as { EventId: string }[])[0]?.EventId;
        if (id) return id;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no report event for ${account}`);
    },
    async close() {
      await browser.close();
      await server.close();
      await receiver.stop();
    },
  };
}
