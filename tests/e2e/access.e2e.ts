// Access in the browser: without a login every page shows the login form and nothing is fetched
// but the public endpoints; the wall screen opened as `/screen#token=…` works without a login, with
// the token kept for the tab and gone from the address bar; its live socket is accepted too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type {} from '../../client/testHook.js'; // the window.__gridcc type
import { userWithToken } from '../support/auth.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const DB = process.env.E2E_DATABASE_URL;

describe('access in the browser', () => {
  let pool: pg.Pool;
  const sessions: BrowserSession[] = [];
  beforeAll(() => {
    if (!BASE || !DB) throw new Error('E2E_BASE_URL and E2E_DATABASE_URL are needed (npm run test:e2e sets them)');
    pool = new pg.Pool({ connectionString: DB, max: 1 });
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await pool?.end();
  });

  it('shows the login form on /, /replay and /edit when not logged in, and fetches no data', async () => {
    const s = await openBrowser({ width: 1280, height: 800 }, { session: null });
    sessions.push(s);
    const refused: string[] = [];
    s.page.on('response', (r) => { if (r.status() === 401 && !r.url().endsWith('/api/auth/me')) refused.push(r.url()); });
    for (const path of ['/', '/replay', '/edit']) {
      await s.page.goto(`${BASE}${path}`);
      await s.page.locator('form.auth-login').waitFor({ timeout: 30_000 });
      expect(await s.page.locator('form.auth-login input[name=username]').count(), path).toBe(1);
    }
    expect(refused).toEqual([]);
  });

  it('/screen#token=… runs the wall screen with the token: fetches, map and live socket; the URL is cleaned', async () => {
    const screen = await userWithToken(pool, 'viewer', undefined, 'screen');
    const s = await openBrowser({ width: 1600, height: 900 }, { session: null });
    sessions.push(s);
    const failed: string[] = [];
    s.page.on('response', (r) => { if (r.status() === 401 || r.status() === 403) failed.push(r.url()); });
    await s.page.goto(`${BASE}/screen?layers=patrols#token=${screen.token}`);
    await s.page.waitForFunction(() => window.__gridcc?.isReady, undefined, { timeout: 240_000, polling: 500 });
    expect(s.page.url()).not.toContain('token');
    expect(await s.page.evaluate(() => sessionStorage.getItem('gridcc.bearer'))).toBe(screen.token);
    // the live socket was accepted with the token: it reports live, not reconnecting
    await s.page.waitForFunction(() => document.querySelector('[data-testid=freshness]')?.getAttribute('data-state') === 'live', undefined, { timeout: 60_000, polling: 500 });
    expect(failed).toEqual([]);
    expect(await s.page.locator('form.auth-login').count()).toBe(0);
  });
});
