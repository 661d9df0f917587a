// The grid editor at /edit in a real browser: log in through the form, drag a vertex shared by two
// grids, check the area-change table, save with a reason, and see both grids change on a SECOND
// page without reloading (socket.io `grids-changed`). Then the database: both versions went up,
// and the coverage still has no gaps and no overlaps.
//
// Needs E2E_BASE_URL (server serving the client with /edit routed to EditorPage) and
// E2E_DATABASE_URL (its database: an editor user is created there). Leaves the coverage valid.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type {} from '../../client/editor/EditorPage.js'; // the window.__gridccEditor type
import { createUser, TEST_PASSWORD } from '../support/users.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const DB = process.env.E2E_DATABASE_URL;
const ARTIFACTS = new URL('../artifacts/', import.meta.url);

interface Shared {
  x: number;
  y: number;
  grids: [number, number];
  /** a point inside the first grid, near the vertex (to select it) */
  inside: [number, number];
}

async function waitReady(page: Page, timeout = 120_000) {
  await page.waitForFunction(() => window.__gridccEditor?.ready && window.__gridccEditor.loads > 0, undefined, { timeout, polling: 200 });
}

async function toPage(page: Page, lonLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate(([lon, lat]) => {
    const map = window.__gridccEditor!.map!;
    const p = map.project([lon, lat]);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lonLat);
}

async function jump(page: Page, center: [number, number], zoom: number) {
  await page.evaluate(
    ([c, z]) =>
      new Promise<void>((resolve) => {
        const map = window.__gridccEditor!.map!;
        map.once('idle', () => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
        map.jumpTo({ center: c as [number, number], zoom: z as number });
        map.triggerRepaint();
      }),
    [center, zoom] as const,
  );
}

describe('grid editor at /edit', () => {
  let pool: pg.Pool;
  let session: BrowserSession;
  let page: Page;
  let second: Page;
  let username: string;
  let v: Shared;
  let before: Record<number, number>;
  let coverageBefore: { gaps: unknown[]; overlaps: unknown[] };
  const coverage = async () => (await fetch(`${BASE}/api/grids/coverage`)).json() as Promise<{ gaps: unknown[]; overlaps: unknown[] }>;

  beforeAll(async () => {
    if (!BASE || !DB) throw new Error('E2E_BASE_URL and E2E_DATABASE_URL must be set (npm run test:e2e sets them)');
    mkdirSync(ARTIFACTS, { recursive: true });
    pool = new pg.Pool({ connectionString: DB, max: 2 });
    ({ username } = await createUser(pool, 'editor'));
    // A vertex shared by exactly two grids, well inside the county (not on its outline), where
    // both grids are big enough that a small move keeps every rule.
    const { rows } = await pool.query(`
      WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
      pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g WHERE ST_Area(g.geom::geography) > 200000),
      shared AS (
        SELECT ST_X(p) AS x, ST_Y(p) AS y, p, array_agg(DISTINCT id ORDER BY id) AS grids
        FROM pts GROUP BY ST_X(p), ST_Y(p), p HAVING count(DISTINCT id) = 2)
      SELECT s.x, s.y, s.grids,
        (SELECT ST_AsGeoJSON(ST_PointOnSurface(ST_Intersection(g.geom, ST_Buffer(s.p, 0.0004))))::json FROM grids g WHERE g.id = s.grids[1]) AS inside
      FROM shared s, c
      WHERE NOT ST_DWithin(s.p, c.b, 0.005)
        AND (SELECT count(*) FROM grids g WHERE ST_DWithin(g.geom, s.p, 0.00005)) = 2
      ORDER BY s.x, s.y LIMIT 1`);
    expect(rows).toHaveLength(1);
    v = { x: rows[0].x, y: rows[0].y, grids: rows[0].grids, inside: rows[0].inside.coordinates };
    const { rows: vs } = await pool.query('SELECT id, version FROM grids WHERE id = ANY($1::int[])', [v.grids]);
    before = Object.fromEntries(vs.map((r) => [r.id, r.version]));
    coverageBefore = await coverage();
    expect(coverageBefore.overlaps).toEqual([]);

    session = await openBrowser({ width: 1440, height: 900 });
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await pool?.end();
  });

  it('shows the login form on /edit and logs in (wrong password first: the error is in Chinese)', async () => {
    await page.goto(`${BASE}/edit`);
    const form = page.locator('form.auth-login');
    await form.waitFor({ timeout: 60_000 });
    await form.locator('input[name=username]').fill(username);
    await form.locator('input[name=password]').fill('not the password');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[role=alert]').textContent(), { timeout: 10_000 }).toBe('用户名或密码错误');
    await form.locator('input[name=password]').fill(TEST_PASSWORD);
    await form.locator('button[type=submit]').click();
    await waitReady(page);
    expect(await page.locator('.editor-bar__title').innerText()).toBe('网格边界编辑');
    const versions = await page.evaluate(() => window.__gridccEditor!.versions());
    expect(Object.keys(versions).length).toBeGreaterThan(1000);
  });

  it('drags a shared vertex: both grids change, the save shows the area change of each, and a second page sees it without reloading', async () => {
    // The second page (same browser context: same session cookie) shows the editor too.
    second = await session.context.newPage();
    await second.goto(`${BASE}/edit`);
    await waitReady(second);
    const loadsBefore = await second.evaluate(() => window.__gridccEditor!.loads);

    await jump(page, [v.x, v.y], 17);
    // Select the first grid, then drag the shared vertex ~10 px.
    const inside = await toPage(page, v.inside);
    await page.mouse.click(inside.x, inside.y);
    await page.waitForSelector('[data-testid=selected-panel]');
    const from = await toPage(page, [v.x, v.y]);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) {
      await page.mouse.move(from.x + i * 2, from.y + i * 1.4);
      await page.waitForTimeout(50);
    }
    await page.mouse.up();
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().sort((a, b) => a - b)), { timeout: 10_000 }).toEqual(expect.arrayContaining(v.grids));
    expect(await page.locator('[data-testid=pending]').innerText()).toMatch(/个网格已修改/);

    // Undo / redo with the keyboard.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().length)).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().length)).toBeGreaterThanOrEqual(2);
    const moved = await page.evaluate((ids) => ids.map((id) => window.__gridccEditor!.geometry(id)), v.grids);

    // Save: the dry run lists the grids with their areas; the total stays (shared boundary).
    await page.locator('[data-testid=save]').click();
    const table = page.locator('[data-testid=area-table]');
    await table.waitFor({ timeout: 30_000 });
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(2);
    const codes = await table.locator('tbody [data-testid=grid-code]').allInnerTexts();
    const { rows: codeRows } = await pool.query('SELECT code FROM grids WHERE id = ANY($1::int[])', [v.grids]);
    for (const r of codeRows) expect(codes).toContain(r.code);
    await page.screenshot({ path: new URL('editor.png', ARTIFACTS).pathname });

    await page.locator('[data-testid=save-dialog] textarea[name=reason]').fill('端到端测试：移动共享节点');
    await page.locator('[data-testid=save-dialog] [data-testid=commit]').click();
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().length), { timeout: 30_000 }).toBe(0);

    // The second page got the change pushed (no reload: same document, more coverage loads).
    await second.waitForFunction(
      ([ids, b]) => ids.every((id) => window.__gridccEditor!.versions()[id] === (b as Record<number, number>)[id] + 1),
      [v.grids, before] as const,
      { timeout: 10_000, polling: 100 },
    );
    expect(await second.evaluate(() => window.__gridccEditor!.loads)).toBeGreaterThan(loadsBefore);
    const seen = await second.evaluate((ids) => ids.map((id) => window.__gridccEditor!.geometry(id)), v.grids);
    const key = (p: number[]) => `${p[0].toFixed(7)},${p[1].toFixed(7)}`;
    for (let i = 0; i < 2; i++) {
      const verts = seen[i]!.coordinates[0].map(key);
      expect(verts).not.toContain(key([v.x, v.y]));
      // what the second page shows is what the first page saved
      expect(verts).toEqual(moved[i]!.coordinates[0].map(key));
    }
    // the moved node is still shared by both grids (no gap, no overlap between them)
    const common = seen[0]!.coordinates[0].map(key).filter((k) => seen[1]!.coordinates[0].map(key).includes(k));
    expect(common.length).toBeGreaterThanOrEqual(2);
    await second.screenshot({ path: new URL('editor-second.png', ARTIFACTS).pathname });
  });

  it('saved both grids as new versions and left the coverage without gaps or overlaps', async () => {
    const { rows } = await pool.query('SELECT id, version FROM grids WHERE id = ANY($1::int[]) ORDER BY id', [v.grids]);
    for (const r of rows) expect(r.version).toBe(before[r.id] + 1);
    const { rows: [cs] } = await pool.query(`SELECT reason, kind FROM grid_change_sets ORDER BY id DESC LIMIT 1`);
    expect(cs).toMatchObject({ reason: '端到端测试：移动共享节点', kind: 'edit' });
    // The seeded coverage may have slivers along the county outline already (gaps over 1 m²): the
    // edit must add none and open no overlap.
    const cov = await coverage();
    expect(cov.overlaps).toEqual([]);
    expect(cov.gaps).toEqual(coverageBefore.gaps);
  });

  it('shows the history of the grid with the new version', async () => {
    await page.locator('[data-testid=history-toggle]').click();
    const panel = page.locator('[data-testid=history-panel]');
    await panel.waitFor();
    await expect.poll(() => panel.locator('.editor-versions li').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await panel.innerText()).toContain('端到端测试：移动共享节点');
    await page.screenshot({ path: new URL('editor-history.png', ARTIFACTS).pathname });
    // (the 401 of GET /api/auth/me before logging in is expected)
    expect(session.errors.filter((e) => !/favicon|status of 401/.test(e))).toEqual([]);
  });
});
