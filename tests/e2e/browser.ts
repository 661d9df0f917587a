// Debian's Chromium driven by playwright-core, with WebGL2 through SwiftShader (no GPU here).
// Never `npx playwright install`: it downloads a browser, and the machine has /usr/bin/chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/plugins/auth.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Session token set as the login cookie: by default the viewer session the harness made
   * (tests/e2e/run.ts, E2E_SESSION_TOKEN); null for a browser that is not logged in. Logging in
   * through the form replaces it. */
  session?: string | null;
}

/** A fresh profile (temporary user-data-dir) and one page of the given size, logged in as a viewer. */
export async function openBrowser(viewport = { width: 1440, height: 900 }, options: OpenOptions = {}): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'gridcc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const session = options.session === undefined ? process.env.E2E_SESSION_TOKEN : options.session;
  const base = process.env.E2E_BASE_URL;
  if (session && base) {
    await context.addCookies([{ name: SESSION_COOKIE, value: session, url: base, httpOnly: true, sameSite: 'Lax' }]);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
