// The incident loop in a real browser: a dispatcher logs in through the form, reports an incident
// from the command center (place picked on the map, the server's duplicate hint shown before
// saving), and walks it from the drawer through every state — a refused action (409) shown in
// Chinese, one return and one escalation on the way — to 结案. A second page sees the report live
// (map and ticker); the map shows it in its state's colour; the KPIs count it; the reports page
// renders, sorts, downloads the server's CSV and has a print layout.
//
// Needs E2E_BASE_URL and E2E_DATABASE_URL (npm run test:e2e sets both).
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type {} from '../../client/testHook.js'; // the window.__gridcc type
import { lightTheme } from '../../client/theme.js';
import { SESSION_COOKIE } from '../../server/plugins/auth.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const DB = process.env.E2E_DATABASE_URL;
const ARTIFACTS = new URL('../artifacts/', import.meta.url);
const ZOOM = 15.5;
/** Tests that load a map wait for it on a shared machine: SwiftShader draws slowly under load. */
const MAP_TEST_TIMEOUT = 420_000;

async function waitReady(page: Page) {
  await page.waitForFunction(() => window.__gridcc?.isReady, undefined, { timeout: 240_000, polling: 250 });
}

/** Moves the map without animation; resolves after it is idle and deck.gl drew a frame. */
async function jump(page: Page, lonLat: [number, number], zoom: number) {
  await page.evaluate(
    ([c, z]) =>
      new Promise<void>((resolve) => {
        const hook = window.__gridcc!;
        const map = hook.map!;
        map.once('idle', () => void hook.nextFrame().then(() => resolve()));
        map.jumpTo({ center: c as [number, number], zoom: z as number });
        map.triggerRepaint();
      }),
    [lonLat, zoom] as const,
  );
}

async function toPage(page: Page, lonLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate(([lon, lat]) => {
    const map = window.__gridcc!.map!;
    const p = map.project([lon, lat]);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lonLat);
}

/** The colour drawn at a page pixel (read back from a screenshot: WebGL keeps no buffer to read). */
async function pixel(page: Page, at: { x: number; y: number }): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: { x: Math.round(at.x) - 1, y: Math.round(at.y) - 1, width: 3, height: 3 } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(1, 1, 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, png.toString('base64'));
}

/** Which state group's colour (light theme) is nearest to a pixel. */
function nearestGroup(rgb: [number, number, number]): string {
  let best = '';
  let bestD = Infinity;
  for (const [g, c] of Object.entries(lightTheme.incidents.status)) {
    const d = (c[0] - rgb[0]) ** 2 + (c[1] - rgb[1]) ** 2 + (c[2] - rgb[2]) ** 2;
    if (d < bestD) { bestD = d; best = g; }
  }
  return best;
}

const localDay = (d = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const kpi = async (page: Page, selector: string) => Number((await page.locator(selector).first().innerText()).replace(/[^\d]/g, ''));

describe('incident loop from the operator view', () => {
  let pool: pg.Pool;
  let session: BrowserSession;
  let page: Page;
  let watcher: Page;
  let username: string;
  let apiCookie: string;
  let place: { lon: number; lat: number; township: string };
  let incident: { id: number; code: string };
  const created: number[] = [];
  let kpisBefore: { today: number; closed: number; day: string };

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${BASE}${path}`, {
      method,
      headers: { cookie: apiCookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const drawer = () => page.locator('[data-testid=incident-drawer]');
  const drawerStatus = () => drawer().getAttribute('data-status');

  /** Runs one action from the drawer and waits for the new state. */
  async function act(action: string, to: string, fill?: (form: ReturnType<Page['locator']>) => Promise<void>) {
    await drawer().locator(`[data-testid=incident-actions] button[data-action=${action}]`).click();
    const form = drawer().locator(`[data-testid=transition-form][data-action=${action}]`);
    await form.waitFor();
    if (fill) await fill(form);
    await form.locator('[data-testid=transition-submit]').click();
    await expect.poll(drawerStatus, { timeout: 20_000 }).toBe(to);
    await drawer().locator('[data-testid=incident-actions] .incident-done').waitFor();
  }

  beforeAll(async () => {
    if (!BASE || !DB) throw new Error('E2E_BASE_URL and E2E_DATABASE_URL must be set (npm run test:e2e sets them)');
    mkdirSync(ARTIFACTS, { recursive: true });
    pool = new pg.Pool({ connectionString: DB, max: 2 });
    ({ username } = await createUser(pool, 'dispatcher'));
    // A place well inside a grid that has a worker; and an API session of the same dispatcher.
    const { rows: [g] } = await pool.query(`
      SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat, t.code AS township
      FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
      WHERE ST_Area(g.geom::geography) > 400000 AND EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id AND w.role = 'full_time')
      ORDER BY g.id LIMIT 1`);
    place = g;
    const login = await fetch(`${BASE}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    apiCookie = String(login.headers.get('set-cookie')).split(';')[0];
    expect(apiCookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    session = await openBrowser({ width: 1600, height: 1000 });
    page = session.page;
  });

  afterAll(async () => {
    if (created.length) await pool?.query('DELETE FROM incidents WHERE id = ANY($1::bigint[])', [created]);
    await session?.close();
    await pool?.end();
  });

  it('opens the operator view and logs in as a dispatcher through the form', async () => {
    await page.goto(`${BASE}/`);
    // Either the page asks for a login first, or it opens (as a viewer) and the panel asks when needed.
    await page.waitForSelector('[data-testid=auth-gate] form.auth-login, .app--operator', { timeout: 60_000 });
    const gate = page.locator('[data-testid=auth-gate] form.auth-login');
    if (await gate.count()) {
      await gate.locator('input[name=username]').fill(username);
      await gate.locator('input[name=password]').fill(TEST_PASSWORD);
      await gate.locator('button[type=submit]').click();
    }
    await waitReady(page);
    await page.locator('[data-testid=tab-incidents]').click();
    await page.locator('[data-testid=incident-list] .incident-item').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=incident-new]').click();
    const form = page.locator('[data-testid=report-form]');
    await form.waitFor();
    if (await form.locator('[data-testid=incident-login-open]').count()) {
      await form.locator('[data-testid=incident-login-open]').click();
      const login = form.locator('form.auth-login');
      await login.locator('input[name=username]').fill(username);
      await login.locator('input[name=password]').fill('wrong password');
      await login.locator('button[type=submit]').click();
      await expect.poll(() => login.locator('[role=alert]').textContent(), { timeout: 10_000 }).toBe('用户名或密码错误');
      await login.locator('input[name=password]').fill(TEST_PASSWORD);
      await login.locator('button[type=submit]').click();
    }
    await form.locator('select[name=category]').waitFor({ timeout: 20_000 });
    // The figures before: today's incidents and the closed ones among them.
    await page.evaluate(() => window.__gridcc!.refreshKpis());
    kpisBefore = {
      day: localDay(),
      today: await kpi(page, '[data-kpi=incidentsToday] [data-value]'),
      closed: await kpi(page, '[data-status-group=closed] [data-value]'),
    };
  }, MAP_TEST_TIMEOUT);

  it('reports an incident: place picked on the map, the duplicate hint shown before saving', async () => {
    // Another report of the same kind 55 m away, a moment earlier: the form must point it out.
    const near = await api('POST', '/api/incidents', { category: '环境卫生', source: 'hotline', description: '垃圾桶满溢（热线）', lon: place.lon + 0.0006, lat: place.lat });
    expect(near.status).toBe(201);
    created.push(near.json.incident.id);

    // A second page stays open to see the new report arrive live.
    watcher = await session.context.newPage();
    await watcher.goto(`${BASE}/`);
    await waitReady(watcher);

    const form = page.locator('[data-testid=report-form]');
    await jump(page, [place.lon, place.lat], ZOOM);
    expect(await form.locator('[data-testid=report-pick]').getAttribute('aria-pressed')).toBe('true');
    const at = await toPage(page, [place.lon, place.lat]);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => form.locator('[data-testid=report-picked]').innerText()).toMatch(/^已选位置：118\.\d+, 3[45]\.\d+$/);
    await form.locator('select[name=category]').selectOption('环境卫生');
    const dups = form.locator('[data-testid=report-duplicates]');
    await expect.poll(() => dups.getAttribute('data-count'), { timeout: 20_000 }).toBe('1');
    expect(await dups.innerText()).toContain(near.json.incident.code);
    await form.locator('textarea[name=description]').fill('道路边垃圾堆积，影响通行（指挥中心上报）');
    await form.locator('select[name=priority]').selectOption('1');
    await form.locator('select[name=source]').selectOption('command_center');
    await page.screenshot({ path: new URL('incidents-report.png', ARTIFACTS).pathname });
    await form.locator('[data-testid=report-submit]').click();

    await drawer().waitFor({ timeout: 20_000 });
    await expect.poll(drawerStatus).toBe('reported');
    const code = await drawer().locator('.incident-drawer__title').innerText();
    expect(code).toMatch(/^SJ\d{8}-\d{7}$/);
    const { rows: [row] } = await pool.query('SELECT id, code, status, priority, source, category FROM incidents WHERE code = $1', [code]);
    expect(row).toMatchObject({ status: 'reported', priority: 1, source: 'command_center', category: '环境卫生' });
    incident = { id: Number(row.id), code };
    created.push(incident.id);

    // The second page: on its map (any zoom) and in its ticker (特急) without reloading.
    await expect.poll(() => watcher.evaluate((id) => (window.__gridcc!.layerData('incident-live') as Array<{ id: number; status: string }> | null)?.find((p) => p.id === id)?.status ?? null, incident.id), { timeout: 20_000 }).toBe('reported');
    await watcher.locator(`[data-testid=ticker] [data-incident-id="${incident.id}"]`).waitFor({ timeout: 20_000 });
    await watcher.close();
  }, MAP_TEST_TIMEOUT);

  it('shows it on the map in the colour of 上报', async () => {
    await page.locator('[data-testid=incident-drawer] .card__close').click();
    await drawer().waitFor({ state: 'detached' });
    await page.mouse.move(5, 500);
    await jump(page, [place.lon, place.lat], ZOOM);
    const at = await toPage(page, [place.lon, place.lat]);
    expect(nearestGroup(await pixel(page, at))).toBe('new');
    // Back to the drawer through the list (the newest urgent open one is near the top).
    await page.locator('[data-testid=incident-search]').fill(incident.code);
    const item = page.locator(`[data-testid=incident-list] .incident-item[data-incident-id="${incident.id}"]`);
    await item.waitFor({ timeout: 20_000 });
    await item.click();
    await expect.poll(drawerStatus).toBe('reported');
  });

  it('walks it through every state from the drawer, with a 409 in Chinese, one return and one escalation', async () => {
    // Someone else accepts it while this dispatcher has the form open: the server refuses (409).
    await drawer().locator('[data-testid=incident-actions] button[data-action=accept]').click();
    const form = drawer().locator('[data-testid=transition-form][data-action=accept]');
    await form.locator('textarea[name=note]').fill('已受理');
    expect((await api('POST', `/api/incidents/${incident.id}/transitions`, { action: 'accept', note: '热线同步受理' })).status).toBe(200);
    await form.locator('[data-testid=transition-submit]').click();
    const alert = form.locator('[role=alert]');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toMatch(/^事件状态已变化，不能执行该操作（当前：受理）。可执行：.*派遣/);
    await form.locator('button', { hasText: '取消' }).click();
    await expect.poll(drawerStatus).toBe('accepted');

    await act('return', 'returned', async (f) => {
      // The reason is required: refused in the form before anything is sent.
      await f.locator('[data-testid=transition-submit]').click();
      expect(await f.locator('[role=alert]').innerText()).toBe('请填写原因');
      await f.locator('textarea[name=reason]').fill('位置描述不清，请补充');
    });
    await act('accept', 'accepted', (f) => f.locator('textarea[name=note]').fill('补充后重新受理'));
    await act('escalate', 'accepted', (f) => f.locator('textarea[name=reason]').fill('涉及多个部门，需镇级协调'));
    await expect.poll(() => drawer().locator('[data-field=level] dd').innerText()).toBe('镇（街道）');
    await act('dispatch', 'dispatched', async (f) => {
      const select = f.locator('select[name=departmentId]');
      await expect.poll(() => select.locator('option').count(), { timeout: 20_000 }).toBeGreaterThan(10);
      expect(await select.locator('option').first().innerText()).toBe('默认：县城市管理局');
    });
    await expect.poll(() => drawer().locator('[data-field=department] dd').innerText()).toBe('县城市管理局');
    await act('start', 'in_progress');
    await act('resolve', 'resolved', (f) => f.locator('textarea[name=note]').fill('已清运完毕'));
    await act('rate', 'rated', async (f) => {
      await f.locator('.incident-rating__star', { hasText: '5' }).click();
      await f.locator('textarea[name=comment]').fill('处理及时');
    });
    await act('close', 'closed');
    expect(await drawer().locator('[data-testid=incident-actions]').innerText()).toContain('当前状态下没有可执行的操作');

    const steps = await drawer().locator('[data-testid=incident-timeline] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(steps).toEqual(['report', 'accept', 'return', 'accept', 'escalate', 'dispatch', 'start', 'resolve', 'rate', 'close']);
    expect(await drawer().locator('[data-testid=incident-timeline]').innerText()).toContain('位置描述不清，请补充');
    await page.screenshot({ path: new URL('incidents-closed.png', ARTIFACTS).pathname });

    const { rows: [r] } = await pool.query('SELECT status, rating, rating_comment, return_count, escalation_count, level FROM incidents WHERE id = $1', [incident.id]);
    expect(r).toEqual({ status: 'closed', rating: 5, rating_comment: '处理及时', return_count: 1, escalation_count: 1, level: 'township' });
    const { rows: events } = await pool.query('SELECT action, actor_name FROM incident_events WHERE incident_id = $1 ORDER BY seq', [incident.id]);
    expect(events.map((e) => e.action)).toEqual(steps);
    expect(new Set(events.map((e) => e.actor_name))).toEqual(new Set([username]));
  });

  it('shows it on the map in the colour of 结案 and counts it in the KPIs', async () => {
    await page.locator('[data-testid=incident-drawer] .card__close').click();
    await drawer().waitFor({ state: 'detached' });
    await page.mouse.move(5, 500);
    await jump(page, [place.lon, place.lat], ZOOM);
    const live = await page.evaluate((id) => (window.__gridcc!.layerData('incident-live') as Array<{ id: number; status: string }>).find((p) => p.id === id), incident.id);
    expect(live?.status).toBe('closed');
    expect(nearestGroup(await pixel(page, await toPage(page, [place.lon, place.lat])))).toBe('closed');
    await page.evaluate(() => window.__gridcc!.refreshKpis());
    // This incident and the hotline one reported today; this one closed. (Unless the county's
    // midnight passed meanwhile: then both are yesterday's, and today starts from nothing.)
    if (localDay() === kpisBefore.day) {
      expect(await kpi(page, '[data-kpi=incidentsToday] [data-value]')).toBe(kpisBefore.today + 2);
      expect(await kpi(page, '[data-status-group=closed] [data-value]')).toBe(kpisBefore.closed + 1);
    }
  });

  it('renders the reports page, sorts it, downloads the server CSV and has a print layout', async () => {
    await page.locator('[data-testid=nav-reports]').click();
    const reports = page.locator('[data-testid=reports-page]');
    await reports.waitFor({ timeout: 30_000 });
    const table = reports.locator('[data-testid=report-table]');
    await table.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    // The day the incident was reported (in the county's time zone).
    const { rows: [{ day }] } = await pool.query(`SELECT to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day FROM incidents WHERE id = $1`, [incident.id]);
    await reports.locator('[data-testid=report-date]').fill(day);
    await expect.poll(() => reports.locator('[data-testid=report-summary] h2').innerText(), { timeout: 30_000 }).toContain(`${day} 至 ${day}`);
    expect(await table.locator('tbody tr').count()).toBe(21);
    const row = table.locator(`tbody tr[data-unit="${place.township}"]`);
    expect(Number(await row.locator('td').nth(3).innerText())).toBeGreaterThanOrEqual(2);
    expect(Number(await row.locator('td').nth(4).innerText())).toBeGreaterThanOrEqual(1);
    for (const id of ['chart-volume', 'chart-closure', 'chart-time']) expect(await reports.locator(`[data-testid=${id}] svg rect`).count()).toBeGreaterThan(0);

    // Sort by closure rate, ascending then descending.
    await table.locator('th button[data-column=closureRate]').click();
    expect(await table.getAttribute('data-sort')).toBe('closureRate:desc');
    const rates = await table.locator('tbody tr td:nth-child(6)').allInnerTexts();
    const numbers = rates.filter((v) => v !== '—').map((v) => Number(v.replace('%', '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    // By village for the month: the URL keeps the choice.
    await reports.locator('[data-period=month]').click();
    await reports.locator('[data-testid=report-by]').selectOption('village');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(373);
    expect(new URL(page.url()).searchParams.get('by')).toBe('village');
    await page.screenshot({ path: new URL('incidents-reports.png', ARTIFACTS).pathname, fullPage: false });

    const [download] = await Promise.all([page.waitForEvent('download'), reports.locator('[data-testid=report-csv]').click()]);
    expect(download.suggestedFilename()).toMatch(/^incidents-month-\d{4}-\d{2}-01-village\.csv$/);
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('村（社区）编码,名称,上级,上报数,作废数,结案数,结案率,平均办结时长（小时）,P90办结时长（小时）,超期数,退回数,评价数,满意度');
    expect(lines).toHaveLength(1 + 373 + 1);
    expect(lines.at(-1)).toMatch(/^合计,/);

    await page.emulateMedia({ media: 'print' });
    expect(await reports.locator('.report-controls').isVisible()).toBe(false);
    expect(await table.isVisible()).toBe(true);
    await page.pdf?.({ path: new URL('incidents-reports.pdf', ARTIFACTS).pathname, landscape: true }).catch(() => undefined);
    await page.emulateMedia({ media: 'screen' });
    // Failed requests on the console: only the wrong password (401) and the one refused transition (409) above.
    const failed = session.errors.filter((e) => !/favicon/.test(e));
    expect(failed.filter((e) => !/status of (401|409)/.test(e))).toEqual([]);
    expect(failed.filter((e) => /status of 409/.test(e))).toHaveLength(1);
  });
});
