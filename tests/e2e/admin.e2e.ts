// The admin page at /admin: a viewer sees the login form with a note; an administrator logs in,
// registers a 12345 hotline system (its api_key shown once) and issues a phone's key, which the
// phone then reports with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { createUser, TEST_PASSWORD } from '../support/users.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const DB = process.env.E2E_DATABASE_URL;

describe('admin page at /admin', () => {
  let pool: pg.Pool;
  let session: BrowserSession;
  let page: Page;
  let admin: string;

  beforeAll(async () => {
    if (!BASE || !DB) throw new Error('E2E_BASE_URL and E2E_DATABASE_URL are needed (npm run test:e2e sets them)');
    pool = new pg.Pool({ connectionString: DB, max: 1 });
    admin = (await createUser(pool, 'admin')).username;
    session = await openBrowser({ width: 1440, height: 900 });
    page = session.page;
  });
  afterAll(async () => {
    await session?.close();
    await pool?.end();
  });

  it('asks a viewer to log in as an administrator, then shows the users', async () => {
    await page.goto(`${BASE}/admin`);
    const form = page.locator('form.auth-login');
    await form.waitFor({ timeout: 60_000 });
    expect(await page.locator('.auth-gate__note').textContent()).toMatch(/管理员/);
    await form.locator('input[name=username]').fill(admin);
    await form.locator('input[name=password]').fill(TEST_PASSWORD);
    await form.locator('button[type=submit]').click();
    await page.locator('[data-testid=admin-page] table.admin-table').waitFor({ timeout: 60_000 });
    expect(await page.locator(`tr[data-user="${admin}"]`).count()).toBe(1);
  });

  it('registers a 12345 system: its api_key is shown once', async () => {
    await page.getByRole('tab', { name: '12345 接入' }).click();
    const name = `12345 热线 e2e ${Date.now().toString(36)}`;
    await page.locator('input[name=name]').fill(name);
    await page.locator('.admin-form button[type=submit]').click();
    const secret = page.locator('[data-testid=admin-secret] code');
    await secret.waitFor();
    const key = (await secret.textContent())!;
    expect(key.length).toBeGreaterThan(30);
    await page.locator('[data-testid=admin-secret] button').click();
    await page.locator('td', { hasText: name }).waitFor();
    expect(await page.locator('[data-testid=admin-secret]').count()).toBe(0);
    const res = await fetch(`${BASE}/open311/v2/services.json?api_key=${encodeURIComponent(key)}`);
    expect(res.status).toBe(200);
  });

  it('issues a phone\'s key, and the phone reports with it', async () => {
    await page.getByRole('tab', { name: '终端设备' }).click();
    const { rows: [w] } = await pool.query(`
      SELECT w.device_id, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
      FROM workers w JOIN grids g ON g.id = w.grid_id WHERE w.active AND w.device_id IS NOT NULL ORDER BY w.id DESC LIMIT 1`);
    await page.locator('.admin-form input').fill(w.device_id);
    const row = page.locator('tr', { hasText: w.device_id });
    await row.waitFor({ timeout: 60_000 });
    await row.locator('button').first().click();
    const key = (await page.locator('[data-testid=admin-secret] code').textContent())!;
    const ok = await fetch(`${BASE}/osmand?id=${w.device_id}&key=${encodeURIComponent(key)}&lat=${w.lat}&lon=${w.lon}`);
    expect(ok.status).toBe(200);
    const wrong = await fetch(`${BASE}/osmand?id=${w.device_id}&key=not-it&lat=${w.lat}&lon=${w.lon}`);
    expect(wrong.status).toBe(401);
  });
});
