import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; Playwright cannot download its own browsers on these machines. */
export const CHROMIUM_PATH = process.env.HATCH_CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL = 'install Chromium: apt-get install -y chromium';

// Without these, Chromium keeps trying to reach Google services on a closed network.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether the browser tests can run. On a developer machine without Chromium they are skipped
 * with a note; on CI (CI=true) a missing browser is a failure, so the suite cannot go quietly
 * green there.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH} and CI must run them: ${INSTALL}`);
  }
  console.warn(`Skipping the browser tests (no ${CHROMIUM_PATH}): ${INSTALL}`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  /**
   * Closes every page. Each open inbox page holds one of the six connections Chromium allows per
   * host over HTTP/1.1, so tests close theirs rather than pile them up.
   */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile of its own, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'hatch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  return {
    context,
    async closePages() {
      await Promise.all(context.pages().map((p) => p.close()));
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
