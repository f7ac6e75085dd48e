import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or undefined when they can. Outside CI a missing Chromium skips them (with this
 * reason); in CI (`CI` set) it is a failure, since `.ci/run` installs it.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI)
    throw new Error(`${CHROMIUM} is missing in CI: .ci/run should have installed the chromium package`);
  return `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) to run the browser tests`;
}

/** Launches headless Chromium; Playwright gives every launch a fresh temporary profile. */
export async function launchBrowser(): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return { browser, context };
}

/**
 * Saves a screenshot: into the package's committed `screenshots/` when READWIRE_UPDATE_SCREENSHOTS=1, otherwise
 * into a temporary folder (so a test run does not change the repository).
 */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  const dir =
    process.env.READWIRE_UPDATE_SCREENSHOTS === '1'
      ? fileURLToPath(new URL('../../screenshots/', import.meta.url))
      : join(tmpdir(), 'readwire-console-screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  await page.screenshot({ path, fullPage });
  return path;
}
