// The grid editor's operations in a real browser, done as a GIS editor does them (mouse on the map,
// keyboard shortcuts, dialog buttons; never the API): split a grid along a drawn line choosing
// where its workers go, merge the parts back, move a grid to a neighbouring village, undo / redo
// vertex edits and cancel them, history with two versions compared on the map, revert, and a new
// grid drawn over others. After each one the database has the new versions, the coverage check is
// empty and the page logged no error. Grids are picked from the database, so reruns on the same
// database work; every operation is validated by the server, so the coverage stays valid.
//
// Needs E2E_BASE_URL and E2E_DATABASE_URL (npm run test:e2e sets them).
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type {} from '../../client/editor/EditorPage.js'; // the window.__gridccEditor type
import { createUser, TEST_PASSWORD } from '../support/users.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const DB = process.env.E2E_DATABASE_URL;
const ARTIFACTS = new URL('../artifacts/', import.meta.url);

type LonLat = [number, number];
type BBox = [number, number, number, number];
interface Coverage { gaps: unknown[]; overlaps: unknown[] }

/**
 * SQL: m² of a geometry in the plane of its coordinates (how the grids' edges are defined and how
 * the server measures gaps and overlaps). As a geography, a cut point on a long old edge makes the
 * parts' geodesic areas add up to a square metre or so more than the old grid's.
 */
const planarM2 = (g: string) => `(ST_Area(${g}) * 12392029030.5 * cos(radians(ST_Y(ST_Centroid(${g})))))`;

// ---- the page -------------------------------------------------------------------------------------

async function waitReady(page: Page) {
  await page.waitForFunction(() => window.__gridccEditor?.ready && window.__gridccEditor.loads > 0, undefined, { timeout: 120_000, polling: 200 });
}

/** Page pixel of a [lon, lat]. */
async function toPage(page: Page, lonLat: LonLat): Promise<{ x: number; y: number }> {
  return page.evaluate(([lon, lat]) => {
    const map = window.__gridccEditor!.map!;
    const p = map.project([lon, lat]);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lonLat);
}

/** [lon, lat] of a page pixel. */
async function toLonLat(page: Page, x: number, y: number): Promise<LonLat> {
  return page.evaluate(([px, py]) => {
    const map = window.__gridccEditor!.map!;
    const r = map.getContainer().getBoundingClientRect();
    const ll = map.unproject([px - r.left, py - r.top]);
    return [ll.lng, ll.lat] as LonLat;
  }, [x, y] as const);
}

/** Move the camera at once and wait until the map is idle (and two frames more for deck.gl). */
async function camera(page: Page, target: { center: LonLat; zoom: number } | { bounds: BBox; padding: number }) {
  await page.evaluate(
    (t) =>
      new Promise<void>((resolve) => {
        const map = window.__gridccEditor!.map!;
        map.once('idle', () => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
        if ('bounds' in t) map.fitBounds(t.bounds, { padding: t.padding, animate: false, maxZoom: 18 });
        else map.jumpTo({ center: t.center, zoom: t.zoom });
        map.triggerRepaint();
      }),
    target,
  );
}

/** Resolves after the next animation frame of the page (the editor handles pointer moves per frame). */
const nextFrame = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Click a point of the map (hover first, as a mouse does). */
async function clickAt(page: Page, lonLat: LonLat) {
  const p = await toPage(page, lonLat);
  await page.mouse.move(p.x, p.y);
  await nextFrame(page);
  await page.mouse.click(p.x, p.y);
}

/** Select a grid by clicking well inside it (in "select / edit" mode). */
async function selectGrid(page: Page, id: number, inside: LonLat) {
  await clickAt(page, inside);
  await page.waitForFunction((gid) => window.__gridccEditor!.selected() === gid, id, { timeout: 10_000 });
  await page.locator('[data-testid=selected-panel]').waitFor();
}

/** Drag a vertex of the selected grid by (dx, dy) pixels. */
async function dragVertex(page: Page, from: LonLat, dx: number, dy: number) {
  const p = await toPage(page, from);
  await page.mouse.move(p.x, p.y);
  await nextFrame(page);
  await page.mouse.down();
  for (let i = 1; i <= 4; i++) {
    await page.mouse.move(p.x + (dx * i) / 4, p.y + (dy * i) / 4);
    await nextFrame(page);
  }
  await page.mouse.up();
}

/** In the open change dialog: wait for the dry run's area table, give the reason, commit, wait for the reload. */
async function commitDialog(page: Page, testId: string, reason: string) {
  const dialog = page.locator(`[data-testid=${testId}]`);
  await dialog.locator('[data-testid=area-table]').waitFor({ timeout: 30_000 });
  const loads = await page.evaluate(() => window.__gridccEditor!.loads);
  await dialog.locator('textarea[name=reason]').fill(reason);
  await dialog.locator('[data-testid=commit]').click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
  await page.waitForFunction((n) => window.__gridccEditor!.loads > n && window.__gridccEditor!.edited().length === 0, loads, { timeout: 30_000 });
}

// ---- the test -------------------------------------------------------------------------------------

describe('grid editor operations at /edit', () => {
  let pool: pg.Pool;
  let session: BrowserSession;
  let page: Page;
  let username: string;
  /** Grids this run has used: later picks keep away from them. */
  const used: number[] = [];
  let errorsSeen = 0;
  /** Console errors expected in a step (e.g. a refused dry run's 422). */
  let expectedErrors: RegExp[] = [];

  const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[];
  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await q<T>(sql, params))[0];
  let auth: Record<string, string> = {};
  const coverage = async () => {
    const res = await fetch(`${BASE}/api/grids/coverage`, { headers: auth });
    expect(res.status).toBe(200);
    return (await res.json()) as Coverage;
  };

  /** After each operation: coverage whole, no console error (but the expected ones). */
  async function checkAfter() {
    const cov = await coverage();
    expect(cov.overlaps).toEqual([]);
    expect(cov.gaps).toEqual([]);
    const fresh = session.errors.slice(errorsSeen).filter((e) => !/favicon|status of 401/.test(e) && !expectedErrors.some((r) => r.test(e)));
    errorsSeen = session.errors.length;
    expectedErrors = [];
    expect(fresh).toEqual([]);
  }

  const latestChangeSet = () => one<{ id: string; kind: string; reason: string }>('SELECT id, kind, reason FROM grid_change_sets ORDER BY id DESC LIMIT 1');

  beforeAll(async () => {
    if (!BASE || !DB) throw new Error('E2E_BASE_URL and E2E_DATABASE_URL must be set (npm run test:e2e sets them)');
    mkdirSync(ARTIFACTS, { recursive: true });
    pool = new pg.Pool({ connectionString: DB, max: 2 });
    ({ username } = await createUser(pool, 'editor'));
    const login = await fetch(`${BASE}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD, bearer: true }),
    });
    auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const cov = await coverage();
    expect(cov).toMatchObject({ gaps: [], overlaps: [] });
    session = await openBrowser({ width: 1440, height: 900 });
    page = session.page;
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${BASE}/edit`);
    const form = page.locator('form.auth-login');
    await form.waitFor({ timeout: 60_000 });
    await form.locator('input[name=username]').fill(username);
    await form.locator('input[name=password]').fill(TEST_PASSWORD);
    await form.locator('button[type=submit]').click();
    await waitReady(page);
  });

  // A failed step must not leave its unsaved edits or dialog to the next one.
  afterEach(async (ctx) => {
    if (!page) return;
    if (ctx.task.result?.state === 'fail') {
      await page.screenshot({ path: new URL(`editor-ops-failed-${ctx.task.name.slice(0, 24).replace(/\W+/g, '-')}.png`, ARTIFACTS).pathname });
    }
    const close = page.locator('.editor-dialog .editor-dialog__head button');
    if (await close.count()) await close.click();
    if (await page.evaluate(() => window.__gridccEditor!.edited().length)) await page.locator('.editor-bar button', { hasText: '放弃全部修改' }).click();
    await page.waitForFunction(() => window.__gridccEditor!.edited().length === 0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('v');
    // (a failed step's errors are its own)
    errorsSeen = session.errors.length;
    expectedErrors = [];
  });

  afterAll(async () => {
    await session?.close();
    await pool?.end();
  });

  // ---- split and merge --------------------------------------------------------------------------

  let split: { id: number; area: number; workers: number[]; parts: [number, number] };

  it('splits a grid along a line drawn on the map; a worker chosen for the second part goes there', async () => {
    // A grid with workers that a horizontal line through its middle crosses exactly twice, into
    // two parts that each keep every rule.
    const g = await one<{ id: number; code: string; version: number; area: number; workers: number[]; line: { coordinates: LonLat[] }; start: { coordinates: LonLat }; inside: { coordinates: LonLat }; bbox: BBox; parts: number[] }>(`
      WITH cand AS (
        SELECT g.id, g.code, g.version, g.geom, (ST_MaximumInscribedCircle(g.geom)).center AS mid
        FROM grids g
        WHERE ST_Area(g.geom::geography) BETWEEN 300000 AND 3000000 AND (SELECT count(*) FROM workers w WHERE w.grid_id = g.id) >= 2
      ), chord AS (
        SELECT c.*, ST_Intersection(c.geom, ST_SetSRID(ST_MakeLine(ST_MakePoint(ST_XMin(c.geom) - 0.001, ST_Y(c.mid)), ST_MakePoint(ST_XMax(c.geom) + 0.001, ST_Y(c.mid))), 4326)) AS ch
        FROM cand c
      ), line AS (
        SELECT h.*, ST_MakeLine(ARRAY[
          ST_Translate(ST_StartPoint(h.ch), -0.15 * ST_Length(h.ch), 0), h.mid, ST_Translate(ST_EndPoint(h.ch), 0.15 * ST_Length(h.ch), 0)]) AS l
        FROM chord h WHERE ST_GeometryType(h.ch) = 'ST_LineString'
      )
      SELECT l.id, l.code, l.version, ST_Area(l.geom::geography) AS area,
             (SELECT array_agg(id ORDER BY id) FROM workers w WHERE w.grid_id = l.id) AS workers,
             ST_AsGeoJSON(l.l)::json AS line, ST_AsGeoJSON(ST_StartPoint(l.ch))::json AS start, ST_AsGeoJSON(l.mid)::json AS inside,
             ARRAY[ST_XMin(l.l), ST_YMin(l.geom), ST_XMax(l.l), ST_YMax(l.geom)] AS bbox,
             (SELECT array_agg(ST_Area(d.geom::geography) ORDER BY ST_Area(d.geom) DESC) FROM ST_Dump(ST_Split(l.geom, l.l)) d) AS parts
      FROM line l
      WHERE (SELECT min((ST_MaximumInscribedCircle(ST_Transform(d.geom, 32650))).radius) FROM ST_Dump(ST_Split(l.geom, l.l)) d) > 40
        AND (SELECT count(*) FROM ST_Dump(ST_Split(l.geom, l.l))) = 2
      ORDER BY l.id LIMIT 1`);
    expect(g, 'a grid to split').toBeTruthy();
    used.push(g.id);
    await camera(page, { bounds: g.bbox, padding: 120 });
    await selectGrid(page, g.id, g.inside.coordinates);

    // "切分…", then the line: the first point snapped onto the grid's boundary, one inside, a
    // double-click outside to finish.
    await page.locator('[data-testid=selected-panel] button', { hasText: '切分…' }).click();
    await page.waitForFunction(() => window.__gridccEditor!.mode === 'split');
    const pts = g.line.coordinates;
    const first = await toPage(page, g.start.coordinates);
    await page.mouse.move(first.x + 3, first.y - 4);
    await expect.poll(() => page.locator('[data-testid=hint]').innerText()).toMatch(/吸附到(边线|节点)/);
    await page.mouse.click(first.x + 3, first.y - 4);
    await clickAt(page, pts[1]);
    const last = await toPage(page, pts[2]);
    await page.mouse.move(last.x, last.y);
    await nextFrame(page);
    await page.mouse.dblclick(last.x, last.y);

    const dialog = page.locator('[data-testid=split-dialog]');
    await dialog.waitFor({ timeout: 10_000 });
    // The preview's two parts match the server's split (areas within 0.5 %).
    const shownAreas = await dialog.locator('.editor-part span').allInnerTexts();
    expect(shownAreas).toHaveLength(2);
    await page.waitForFunction(() => window.__gridccEditor!.layers().includes('editor-split-parts'));
    // The second worker goes with part 2.
    const { rows: [w] } = await pool.query('SELECT name FROM workers WHERE id = $1', [g.workers[1]]);
    const worker = dialog.locator('.editor-worker', { hasText: w.name }).first();
    await worker.locator('label.editor-radio', { hasText: '第 2 部分' }).locator('input').check();
    await page.screenshot({ path: new URL('editor-split.png', ARTIFACTS).pathname });
    await commitDialog(page, 'split-dialog', '端到端测试：切分网格');

    // The database: the grid retired (history closed), two new grids with the next codes of its
    // village, areas adding up, workers where they were put.
    expect(await one('SELECT id FROM grids WHERE id = $1', [g.id])).toBeUndefined();
    expect((await one<{ open: number }>('SELECT count(*) FILTER (WHERE valid_to IS NULL)::int AS open FROM grid_versions WHERE grid_id = $1', [g.id])).open).toBe(0);
    const cs = await latestChangeSet();
    expect(cs).toMatchObject({ kind: 'split', reason: '端到端测试：切分网格' });
    const parts = await q<{ id: number; code: string; version: number; area: number }>(`
      SELECT g.id, g.code, g.version, ST_Area(g.geom::geography) AS area FROM grid_versions v JOIN grids g ON g.id = v.grid_id
      WHERE v.change_set_id = $1 ORDER BY ST_Area(g.geom) DESC`, [cs.id]);
    expect(parts).toHaveLength(2);
    const village = g.code.split('-')[0];
    for (const p of parts) {
      expect(p.version).toBe(1);
      expect(p.code.startsWith(`${village}-`)).toBe(true);
      expect(p.code).not.toBe(g.code);
    }
    // the two parts are the old grid: nothing lost, nothing added
    const { d } = await one<{ d: number }>(`
      SELECT ${planarM2('ST_SymDifference(u.geom, o.geom)')} AS d
      FROM (SELECT ST_Union(geom) AS geom FROM grids WHERE id = ANY($1::int[])) u,
           (SELECT geom FROM grid_versions WHERE grid_id = $2 ORDER BY version DESC LIMIT 1) o`, [parts.map((p) => p.id), g.id]);
    expect(d).toBeLessThan(1);
    expect(Math.abs(parts[0].area + parts[1].area - g.area) / g.area).toBeLessThan(1e-5);
    const placed = await q<{ id: number; grid_id: number }>('SELECT id, grid_id FROM workers WHERE id = ANY($1::int[]) ORDER BY id', [g.workers]);
    for (const r of placed) expect(r.grid_id, `worker ${r.id}`).toBe(r.id === g.workers[1] ? parts[1].id : parts[0].id);
    // The page shows the new grids (and the first part selected).
    const versions = await page.evaluate(() => window.__gridccEditor!.versions());
    expect(versions[g.id]).toBeUndefined();
    expect(versions[parts[0].id]).toBe(1);
    expect(versions[parts[1].id]).toBe(1);
    split = { id: g.id, area: g.area, workers: g.workers, parts: [parts[0].id, parts[1].id] };
    used.push(...split.parts);
    await checkAfter();
  });

  it('merges the two parts back: the area is the original one within 1 m² and the workers follow', async () => {
    const inside = await q<{ id: number; p: { coordinates: LonLat }; code: string }>(`
      SELECT id, code, ST_AsGeoJSON((ST_MaximumInscribedCircle(geom)).center)::json AS p FROM grids WHERE id = ANY($1::int[])`, [split.parts]);
    const box = await one<{ b: BBox }>('SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (SELECT ST_Extent(geom) AS e FROM grids WHERE id = ANY($1::int[])) x', [split.parts]);
    await camera(page, { bounds: box.b, padding: 120 });
    // "M" switches to merging; the selected grid is in the list already, click the other(s).
    await page.keyboard.press('m');
    await page.waitForFunction(() => window.__gridccEditor!.mode === 'merge');
    const list = page.locator('.editor-side .editor-panel .editor-list');
    for (const g of inside) {
      if ((await list.innerText()).includes(g.code)) continue;
      await clickAt(page, g.p.coordinates);
      await expect.poll(() => list.innerText()).toContain(g.code);
    }
    await page.locator('.editor-side button', { hasText: '合并…' }).click();
    await commitDialog(page, 'merge-dialog', '端到端测试：合并网格');

    const cs = await latestChangeSet();
    expect(cs).toMatchObject({ kind: 'merge', reason: '端到端测试：合并网格' });
    const kept = await one<{ id: number; version: number; area: number }>('SELECT id, version, ST_Area(geom::geography) AS area FROM grids WHERE id = ANY($1::int[])', [split.parts]);
    expect(kept.id).toBe(split.parts[0]);
    expect(kept.version).toBe(2);
    // The merged grid is the original one: same area within 1 m² (in the plane of the coordinates,
    // as the server measures), and no more than 1 m² of difference anywhere.
    const same = await one<{ area: number; original: number; d: number }>(`
      SELECT ${planarM2('g.geom')} AS area, ${planarM2('o.geom')} AS original, ${planarM2('ST_SymDifference(g.geom, o.geom)')} AS d
      FROM grids g, (SELECT geom FROM grid_versions WHERE grid_id = $2 ORDER BY version DESC LIMIT 1) o WHERE g.id = $1`, [kept.id, split.id]);
    expect(Math.abs(same.area - same.original), `merged ${same.area} m², original ${same.original} m²`).toBeLessThan(1);
    expect(same.d).toBeLessThan(1);
    expect(Math.abs(kept.area - split.area) / split.area).toBeLessThan(1e-5);
    expect(await one('SELECT id FROM grids WHERE id = $1', [split.parts[1]])).toBeUndefined();
    const { rows: ws } = await pool.query('SELECT DISTINCT grid_id FROM workers WHERE id = ANY($1::int[])', [split.workers]);
    expect(ws).toEqual([{ grid_id: kept.id }]);
    await checkAfter();
  });

  // ---- move to another village ----------------------------------------------------------------------

  let moved: { id: number; version: number; code: string; village: string; geom: string };

  it('moves a grid to the neighbouring village: it takes a code of that village', async () => {
    const r = await one<{ id: number; version: number; code: string; from: string; to: string; toName: string; inside: { coordinates: LonLat }; bbox: BBox; geom: string }>(`
      SELECT a.id, a.version, a.code, ov.code AS from, nv.code AS to, nv.name AS "toName",
             ST_AsGeoJSON((ST_MaximumInscribedCircle(a.geom)).center)::json AS inside,
             ARRAY[ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom)] AS bbox, ST_AsEWKB(a.geom)::text AS geom
      FROM grids a
      JOIN regions ov ON ov.id = a.village_id
      JOIN LATERAL (SELECT b.village_id FROM grids b WHERE b.village_id <> a.village_id AND b.geom && a.geom AND ST_Relate(a.geom, b.geom, '****1****') ORDER BY b.id LIMIT 1) b ON true
      JOIN regions nv ON nv.id = b.village_id
      WHERE (SELECT count(*) FROM grids WHERE village_id = a.village_id) > 2 AND ST_Area(a.geom::geography) > 200000
        AND NOT EXISTS (SELECT 1 FROM grids u WHERE u.id = ANY($1::int[]) AND ST_DWithin(u.geom, a.geom, 0.01))
      ORDER BY a.id LIMIT 1`, [used]);
    expect(r, 'a grid next to another village').toBeTruthy();
    used.push(r.id);
    await page.keyboard.press('v');
    await page.waitForFunction(() => window.__gridccEditor!.mode === 'edit');
    await camera(page, { bounds: r.bbox, padding: 200 });
    await selectGrid(page, r.id, r.inside.coordinates);
    await page.locator('[data-testid=selected-panel] button', { hasText: '改划到其他村…' }).click();
    const dialog = page.locator('[data-testid=reassign-dialog]');
    await dialog.waitFor();
    await dialog.locator('input[placeholder]').first().fill(r.toName);
    await dialog.locator('select').selectOption(r.to);
    await commitDialog(page, 'reassign-dialog', '端到端测试：改划到邻村');

    const now = await one<{ version: number; code: string; village: string; geom: string }>(
      'SELECT g.version, g.code, v.code AS village, ST_AsEWKB(g.geom)::text AS geom FROM grids g JOIN regions v ON v.id = g.village_id WHERE g.id = $1', [r.id]);
    expect(now.version).toBe(r.version + 1);
    expect(now.village).toBe(r.to);
    expect(now.code.startsWith(`${r.to}-`)).toBe(true);
    expect(now.geom).toBe(r.geom);
    expect(await latestChangeSet()).toMatchObject({ kind: 'reassign' });
    // The village it joined now covers it; the panel shows the new code.
    const out = await one<{ a: number }>('SELECT ST_Area(ST_Difference(g.geom, v.geom)::geography) AS a FROM grids g JOIN regions v ON v.code = $2 WHERE g.id = $1', [r.id, r.to]);
    expect(out.a).toBeLessThan(1);
    await expect.poll(() => page.locator('[data-testid=selected-panel] .editor-props').innerText()).toContain(now.code);
    moved = { id: r.id, version: now.version, code: r.code, village: r.from, geom: r.geom };
    await checkAfter();
  });

  // ---- no gaps -------------------------------------------------------------------------------------

  it('refuses to leave part of the county uncovered: the check names the rule and marks the place', async () => {
    // A vertex of the county outline that only one big grid has, dragged inwards (Alt: no snapping).
    const v = await one<{ x: number; y: number; id: number; version: number; inside: { coordinates: LonLat }; geom: string }>(`
      WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
      pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g WHERE ST_Area(g.geom::geography) > 300000),
      lone AS (SELECT p, min(id) AS id FROM pts GROUP BY p HAVING count(DISTINCT id) = 1)
      SELECT ST_X(l.p) AS x, ST_Y(l.p) AS y, g.id, g.version, ST_AsEWKB(g.geom)::text AS geom,
        ST_AsGeoJSON(ST_PointOnSurface(ST_Intersection(g.geom, ST_Buffer(l.p, 0.0005))))::json AS inside
      FROM lone l CROSS JOIN c JOIN grids g ON g.id = l.id
      WHERE ST_DWithin(l.p, c.b, 1e-7)
        AND (SELECT count(*) FROM grids o WHERE o.geom && ST_Expand(l.p, 0.0004) AND ST_DWithin(o.geom, l.p, 0.0004)) = 1
        AND NOT EXISTS (SELECT 1 FROM grids u WHERE u.id = ANY($1::int[]) AND ST_DWithin(u.geom, l.p, 0.01))
      ORDER BY ST_Y(l.p) DESC LIMIT 1`, [used]);
    expect(v, 'a vertex of the county outline').toBeTruthy();
    used.push(v.id);
    await camera(page, { center: [v.x, v.y], zoom: 17 });
    await selectGrid(page, v.id, v.inside.coordinates);
    const [from, to] = [await toPage(page, [v.x, v.y]), await toPage(page, v.inside.coordinates)];
    const d = Math.hypot(to.x - from.x, to.y - from.y);
    await page.keyboard.down('Alt');
    await dragVertex(page, [v.x, v.y], ((to.x - from.x) * 20) / d, ((to.y - from.y) * 20) / d);
    await page.keyboard.up('Alt');
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited())).toEqual([v.id]);
    await page.locator('[data-testid=save]').click();
    const dialog = page.locator('[data-testid=save-dialog]');
    await dialog.locator('[data-testid=violations]').waitFor({ timeout: 30_000 });
    expect(await dialog.locator('[data-testid=violations]').innerText()).toContain('留下空白区域');
    await page.waitForFunction(() => window.__gridccEditor!.layers().includes('editor-violations'));
    expect(await dialog.locator('[data-testid=commit]').isEnabled()).toBe(true);
    expectedErrors.push(/status of 422/);
    // Close, discard: nothing was saved.
    await dialog.getByRole('button', { name: '关闭' }).click();
    await page.locator('.editor-bar button', { hasText: '放弃全部修改' }).click();
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().length)).toBe(0);
    expect(await one('SELECT version, ST_AsEWKB(geom)::text AS geom FROM grids WHERE id = $1', [v.id])).toEqual({ version: v.version, geom: v.geom });
    await checkAfter();
  });

  // ---- undo / redo / cancel ---------------------------------------------------------------------------

  it('undoes and redoes vertex edits (drag, insert on an edge, delete) with the keyboard and the buttons, then cancels them all', async () => {
    const v = await one<{ x: number; y: number; grids: number[]; inside: { coordinates: LonLat }; versions: number[] }>(`
      WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
      pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g WHERE ST_Area(g.geom::geography) > 200000),
      shared AS (SELECT p, array_agg(DISTINCT id ORDER BY id) AS grids FROM pts GROUP BY p HAVING count(DISTINCT id) = 2)
      SELECT ST_X(s.p) AS x, ST_Y(s.p) AS y, s.grids,
        (SELECT ST_AsGeoJSON(ST_PointOnSurface(ST_Intersection(g.geom, ST_Buffer(s.p, 0.0004))))::json FROM grids g WHERE g.id = s.grids[1]) AS inside,
        (SELECT array_agg(version ORDER BY id) FROM grids WHERE id = ANY(s.grids)) AS versions
      FROM shared s, c
      WHERE NOT ST_DWithin(s.p, c.b, 0.005) AND (SELECT count(*) FROM grids g WHERE g.geom && ST_Expand(s.p, 0.0003) AND ST_DWithin(g.geom, s.p, 0.0003)) = 2
        AND NOT EXISTS (SELECT 1 FROM grids u WHERE u.id = ANY($1::int[]) AND ST_DWithin(u.geom, s.p, 0.01))
      ORDER BY ST_X(s.p) DESC LIMIT 1`, [used]);
    expect(v, 'a vertex shared by two grids').toBeTruthy();
    used.push(...v.grids);
    const original = await page.evaluate((ids) => ids.map((id) => window.__gridccEditor!.geometry(id)), v.grids);
    await camera(page, { center: [v.x, v.y], zoom: 17 });
    await selectGrid(page, v.grids[0], v.inside.coordinates);

    // 1. drag the shared vertex: both grids change
    await dragVertex(page, [v.x, v.y], 14, 10);
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().sort((a, b) => a - b))).toEqual(v.grids);
    const afterDrag = await page.evaluate((ids) => ids.map((id) => window.__gridccEditor!.geometry(id)), v.grids);
    expect(afterDrag).not.toEqual(original);
    // 2. click an edge of the selected grid, 40 px along it from the moved vertex: a vertex is inserted
    const ring = afterDrag[0]!.coordinates[0];
    const at = await toPage(page, [v.x, v.y]);
    const movedTo = await toLonLat(page, at.x + 14, at.y + 10);
    const i = ring.findIndex((p) => Math.hypot(p[0] - movedTo[0], p[1] - movedTo[1]) < 2e-6);
    expect(i, 'the moved vertex is in the ring').toBeGreaterThanOrEqual(0);
    const [pa, pb] = [await toPage(page, ring[i] as LonLat), await toPage(page, ring[(i + 1) % (ring.length - 1)] as LonLat)];
    const len = Math.hypot(pb.x - pa.x, pb.y - pa.y);
    expect(len).toBeGreaterThan(100);
    const mid = await toLonLat(page, pa.x + ((pb.x - pa.x) * 40) / len, pa.y + ((pb.y - pa.y) * 40) / len);
    await clickAt(page, mid);
    await expect.poll(() => page.evaluate((id) => window.__gridccEditor!.geometry(id)!.coordinates[0].length, v.grids[0])).toBe(ring.length + 1);
    // 3. Delete removes the inserted (active) vertex again
    await page.keyboard.press('Delete');
    await expect.poll(() => page.evaluate((id) => window.__gridccEditor!.geometry(id)!.coordinates[0].length, v.grids[0])).toBe(ring.length);

    const geoms = () => page.evaluate((ids) => ids.map((id) => window.__gridccEditor!.geometry(id)), v.grids);
    const pending = page.locator('[data-testid=pending]');
    // Undo three times (keyboard, keyboard, button): back to the original, nothing pending.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.evaluate((id) => window.__gridccEditor!.geometry(id)!.coordinates[0].length, v.grids[0])).toBe(ring.length + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(geoms).toEqual(afterDrag);
    await page.locator('[data-testid=undo]').click();
    await expect.poll(geoms).toEqual(original);
    expect(await pending.innerText()).toBe('没有未保存的修改');
    expect(await page.locator('[data-testid=undo]').isDisabled()).toBe(true);
    // Redo: the drag (button), the insertion (Ctrl+Y), the deletion (Ctrl+Shift+Z).
    await page.locator('[data-testid=redo]').click();
    await expect.poll(geoms).toEqual(afterDrag);
    await page.keyboard.press('Control+y');
    await expect.poll(() => page.evaluate((id) => window.__gridccEditor!.geometry(id)!.coordinates[0].length, v.grids[0])).toBe(ring.length + 1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(geoms).toEqual(afterDrag);
    expect(await page.locator('[data-testid=redo]').isDisabled()).toBe(true);
    expect(await pending.innerText()).toMatch(/2 个网格已修改/);
    // Modes other than editing wait until the edits are saved or cancelled.
    expect(await page.locator('.editor-mode[data-mode=split]').isDisabled()).toBe(true);

    // Cancel all (confirmed): the original geometry, nothing to undo, nothing saved.
    await page.locator('.editor-bar button', { hasText: '放弃全部修改' }).click();
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().length)).toBe(0);
    expect(await geoms()).toEqual(original);
    expect(await page.locator('[data-testid=undo]').isDisabled()).toBe(true);
    const { rows } = await pool.query('SELECT version FROM grids WHERE id = ANY($1::int[]) ORDER BY id', [v.grids]);
    expect(rows.map((r) => r.version)).toEqual(v.versions);
    await checkAfter();
  });

  // ---- history, compare, revert -------------------------------------------------------------------------

  it('shows the history of an edited grid, compares two versions on the map, and reverts the change', async () => {
    // A vertex shared by two big grids, moved and saved (a second version to look at).
    const v = await one<{ x: number; y: number; grids: number[]; inside: { coordinates: LonLat }; before: Array<{ id: number; version: number; geom: string }> }>(`
      WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
      pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g WHERE ST_Area(g.geom::geography) > 300000),
      shared AS (SELECT p, array_agg(DISTINCT id ORDER BY id) AS grids FROM pts GROUP BY p HAVING count(DISTINCT id) = 2)
      SELECT ST_X(s.p) AS x, ST_Y(s.p) AS y, s.grids,
        (SELECT ST_AsGeoJSON(ST_PointOnSurface(ST_Intersection(g.geom, ST_Buffer(s.p, 0.0005))))::json FROM grids g WHERE g.id = s.grids[1]) AS inside,
        (SELECT json_agg(json_build_object('id', id, 'version', version, 'geom', ST_AsEWKB(geom)::text) ORDER BY id) FROM grids WHERE id = ANY(s.grids)) AS before
      FROM shared s, c
      WHERE NOT ST_DWithin(s.p, c.b, 0.005) AND (SELECT count(*) FROM grids g WHERE g.geom && ST_Expand(s.p, 0.0004) AND ST_DWithin(g.geom, s.p, 0.0004)) = 2
        AND NOT EXISTS (SELECT 1 FROM grids u WHERE u.id = ANY($1::int[]) AND ST_DWithin(u.geom, s.p, 0.01))
      ORDER BY ST_Y(s.p) LIMIT 1`, [used]);
    expect(v, 'a vertex shared by two grids').toBeTruthy();
    used.push(...v.grids);
    const [a, b] = v.grids;
    await camera(page, { center: [v.x, v.y], zoom: 17 });
    await selectGrid(page, a, v.inside.coordinates);
    await dragVertex(page, [v.x, v.y], -16, 12);
    await expect.poll(() => page.evaluate(() => window.__gridccEditor!.edited().sort((x, y) => x - y))).toEqual(v.grids);
    await page.locator('[data-testid=save]').click();
    await commitDialog(page, 'save-dialog', '端到端测试：调整边界（将撤销）');
    const edit = await latestChangeSet();
    expect(edit).toMatchObject({ kind: 'edit' });
    const afterEdit = await q<{ id: number; version: number }>('SELECT id, version FROM grids WHERE id = ANY($1::int[]) ORDER BY id', [v.grids]);
    expect(afterEdit.map((r) => r.version)).toEqual(v.before.map((r) => r.version + 1));
    await checkAfter();

    // History: the two latest versions are compared on the map at once.
    await camera(page, { center: [v.x, v.y], zoom: 16.5 });
    await page.locator('[data-testid=history-toggle]').click();
    const panel = page.locator('[data-testid=history-panel]');
    await panel.waitFor();
    await expect.poll(() => panel.locator('.editor-versions li').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await panel.innerText()).toContain('端到端测试：调整边界（将撤销）');
    const oldV = v.before[0].version;
    const newV = oldV + 1;
    expect(await panel.getByLabel(`对比 v${newV}`).isChecked()).toBe(true);
    expect(await panel.getByLabel(`对比 v${oldV}`).isChecked()).toBe(true);
    await page.waitForFunction(() => ['editor-compare-older', 'editor-compare-newer'].every((id) => window.__gridccEditor!.drawn().includes(id)), undefined, { timeout: 10_000 });
    const mapBox = (await page.locator('[data-testid=editor-map]').boundingBox())!;
    const centre = await toPage(page, [v.x, v.y]);
    const clip = { x: Math.max(mapBox.x, centre.x - 150), y: Math.max(mapBox.y, centre.y - 150), width: 300, height: 300 };
    const shown = await page.screenshot({ clip });
    await page.screenshot({ path: new URL('editor-compare.png', ARTIFACTS).pathname });
    // Compare off: the layers go, and so do their pixels.
    await panel.getByRole('button', { name: '关闭对比' }).click();
    await page.waitForFunction(() => !window.__gridccEditor!.drawn().some((id) => id.startsWith('editor-compare')), undefined, { timeout: 10_000 });
    const hidden = await page.screenshot({ clip });
    expect(shown.equals(hidden), 'the compared versions change no pixel').toBe(false);
    // Pick both again by hand.
    await panel.getByLabel(`对比 v${oldV}`).check();
    await panel.getByLabel(`对比 v${newV}`).check();
    await page.waitForFunction(() => window.__gridccEditor!.drawn().includes('editor-compare-older'), undefined, { timeout: 10_000 });

    // Reverting only this grid would open a gap or an overlap with its neighbour: the dry run
    // says so, names the rule and marks the place on the map.
    await panel.locator('li', { hasText: `v${oldV}` }).getByRole('button', { name: '回退到此版本…' }).click();
    const revert = page.locator('[data-testid=revert-dialog]');
    await revert.waitFor();
    await revert.locator('[data-testid=violations]').waitFor({ timeout: 30_000 });
    expect(await revert.locator('[data-testid=violations]').innerText()).toMatch(/与其他网格重叠|留下空白区域/);
    await page.waitForFunction(() => window.__gridccEditor!.layers().includes('editor-violations'));
    expectedErrors.push(/status of 422/);
    await revert.getByRole('button', { name: '关闭' }).click();
    await revert.waitFor({ state: 'detached' });

    // Reverting the whole change set puts both grids back.
    await panel.getByRole('button', { name: `撤销变更集 #${edit.id}…` }).click();
    await commitDialog(page, 'revert-dialog', '端到端测试：撤销边界调整');
    expect(await latestChangeSet()).toMatchObject({ kind: 'revert' });
    const now = await q<{ id: number; version: number; geom: string }>('SELECT id, version, ST_AsEWKB(geom)::text AS geom FROM grids WHERE id = ANY($1::int[]) ORDER BY id', [v.grids]);
    for (const [k, r] of now.entries()) {
      expect(r.version).toBe(v.before[k].version + 2);
      expect(r.geom, `grid ${r.id} has its old geometry`).toBe(v.before[k].geom);
    }
    // The history panel follows: the newest version is the revert.
    await expect.poll(() => panel.locator('.editor-versions li').first().innerText(), { timeout: 10_000 }).toContain(`v${oldV + 2}`);
    void b;
    await checkAfter();
  });

  it('reverts the grid moved to another village to its older version', async () => {
    const g = await one<{ inside: { coordinates: LonLat }; bbox: BBox }>(`
      SELECT ST_AsGeoJSON((ST_MaximumInscribedCircle(geom)).center)::json AS inside, ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS bbox
      FROM grids WHERE id = $1`, [moved.id]);
    await camera(page, { bounds: g.bbox, padding: 200 });
    await selectGrid(page, moved.id, g.inside.coordinates);
    const panel = page.locator('[data-testid=history-panel]');
    if (!(await panel.isVisible())) await page.locator('[data-testid=history-toggle]').click();
    await expect.poll(() => panel.innerText(), { timeout: 10_000 }).toContain('端到端测试：改划到邻村');
    const older = moved.version - 1;
    await panel.locator('li', { hasText: `v${older}` }).getByRole('button', { name: '回退到此版本…' }).click();
    await commitDialog(page, 'revert-dialog', '端到端测试：恢复原所属村');
    const now = await one<{ version: number; code: string; village: string; geom: string }>(
      'SELECT g.version, g.code, v.code AS village, ST_AsEWKB(g.geom)::text AS geom FROM grids g JOIN regions v ON v.id = g.village_id WHERE g.id = $1', [moved.id]);
    expect(now).toEqual({ version: moved.version + 1, code: moved.code, village: moved.village, geom: moved.geom });
    const old = await one<{ geom: string }>('SELECT ST_AsEWKB(geom)::text AS geom FROM grid_versions WHERE grid_id = $1 AND version = $2', [moved.id, older]);
    expect(now.geom).toBe(old.geom);
    await checkAfter();
  });

  // ---- new grid ---------------------------------------------------------------------------------------

  it('draws a new grid over three grids: they give up the area it covers', async () => {
    // No edit can leave a gap (the server refuses one), so the new grid is drawn over a node
    // shared by three big grids, with nothing else within 150 m.
    const n = await one<{ x: number; y: number; grids: number[]; centre: { coordinates: LonLat }; village: string; before: Array<{ id: number; version: number; area: number }> }>(`
      WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
      pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g WHERE ST_Area(g.geom::geography) > 300000),
      shared AS (SELECT p, array_agg(DISTINCT id ORDER BY id) AS grids FROM pts GROUP BY p HAVING count(DISTINCT id) = 3)
      SELECT ST_X(s.p) AS x, ST_Y(s.p) AS y, s.grids,
        ST_AsGeoJSON(ST_PointOnSurface(ST_Intersection(a.geom, ST_Buffer(s.p::geography, 12)::geometry)))::json AS centre, v.code AS village,
        (SELECT json_agg(json_build_object('id', id, 'version', version, 'area', ${planarM2('geom')}) ORDER BY id) FROM grids WHERE id = ANY(s.grids)) AS before
      FROM shared s CROSS JOIN c JOIN grids a ON a.id = s.grids[1] JOIN regions v ON v.id = a.village_id
      WHERE NOT ST_DWithin(s.p, c.b, 0.005)
        AND (SELECT count(*) FROM grids g WHERE g.geom && ST_Expand(s.p, 0.003) AND ST_DWithin(g.geom::geography, s.p::geography, 150)) = 3
        AND (SELECT count(*) FROM (SELECT (ST_DumpPoints(g.geom)).geom AS q FROM grids g WHERE g.id = ANY(s.grids)) d
             WHERE ST_DWithin(d.q::geography, s.p::geography, 150) AND NOT ST_Equals(d.q, s.p)) = 0
        AND NOT EXISTS (SELECT 1 FROM grids u WHERE u.id = ANY($1::int[]) AND ST_DWithin(u.geom, s.p, 0.01))
      ORDER BY ST_X(s.p) LIMIT 1`, [used]);
    expect(n, 'a node shared by three grids').toBeTruthy();
    used.push(...n.grids);
    await camera(page, { center: n.centre.coordinates, zoom: 16 });
    // Select nothing, then "N": draw a hexagon of ~40 px around the point, close with a double-click.
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.waitForFunction(() => window.__gridccEditor!.mode === 'draw');
    const c = await toPage(page, n.centre.coordinates);
    const ring = Array.from({ length: 6 }, (_, k) => ({ x: c.x + 60 * Math.cos((k * Math.PI) / 3 + 0.3), y: c.y + 60 * Math.sin((k * Math.PI) / 3 + 0.3) }));
    const drawn = await Promise.all(ring.map((p) => toLonLat(page, p.x, p.y)));
    const { a: drawnArea } = await one<{ a: number }>(
      'SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)::geography) AS a', [JSON.stringify({ type: 'Polygon', coordinates: [[...drawn, drawn[0]]] })]);
    for (const p of ring.slice(0, -1)) {
      await page.mouse.move(p.x, p.y);
      await nextFrame(page);
      await page.mouse.click(p.x, p.y);
    }
    const lastPt = ring[ring.length - 1];
    await page.mouse.move(lastPt.x, lastPt.y);
    await nextFrame(page);
    await page.mouse.dblclick(lastPt.x, lastPt.y);
    const dialog = page.locator('[data-testid=create-dialog]');
    await dialog.waitFor({ timeout: 10_000 });
    // The village under the drawing is chosen already.
    expect(await dialog.locator('select[aria-label]').first().inputValue()).toBe(n.village);
    await dialog.locator('label', { hasText: '名称（可选' }).locator('input').fill('端到端新建网格');
    await page.screenshot({ path: new URL('editor-draw.png', ARTIFACTS).pathname });
    await commitDialog(page, 'create-dialog', '端到端测试：新建网格');

    const cs = await latestChangeSet();
    expect(cs).toMatchObject({ kind: 'create', reason: '端到端测试：新建网格' });
    const created = await one<{ id: number; code: string; name: string; version: number; area: number; village: string }>(`
      SELECT g.id, g.code, g.name, g.version, ${planarM2('g.geom')} AS area, r.code AS village
      FROM grid_versions v JOIN grids g ON g.id = v.grid_id JOIN regions r ON r.id = g.village_id
      WHERE v.change_set_id = $1 AND v.version = 1`, [cs.id]);
    expect(created).toBeTruthy();
    expect(created.village).toBe(n.village);
    expect(created.name).toBe('端到端新建网格');
    expect(created.code.startsWith(`${n.village}-`)).toBe(true);
    // what was drawn, but for the few pixels a click snapped onto a boundary
    expect(Math.abs(created.area - drawnArea) / drawnArea, `new grid ${created.area} m², drawn ${drawnArea} m²`).toBeLessThan(0.05);
    const after = await q<{ id: number; version: number; area: number }>(`SELECT id, version, ${planarM2('geom')} AS area FROM grids WHERE id = ANY($1::int[]) ORDER BY id`, [n.grids]);
    for (const [k, r] of after.entries()) {
      expect(r.version).toBe(n.before[k].version + 1);
      expect(r.area).toBeLessThan(n.before[k].area);
    }
    const total = (xs: Array<{ area: number }>) => xs.reduce((s, x) => s + x.area, 0);
    expect(Math.abs(total(after) + created.area - total(n.before))).toBeLessThan(1);
    expect(await page.evaluate((id) => window.__gridccEditor!.versions()[id], created.id)).toBe(1);
    await checkAfter();
  });
});
