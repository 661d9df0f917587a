// The operator map in a real browser (Debian Chromium, WebGL through SwiftShader).
//
//   E2E_BASE_URL=http://127.0.0.1:3000 npx vitest run --config tests/e2e/vitest.config.ts
//
// Builds nothing: it needs a server at E2E_BASE_URL serving the built client (dist/client) and the
// API over the seeded database (1,076 grids). Waits through the page's test hook (window.__gridcc,
// client/testHook.ts), never by sleeping. Screenshots go to tests/artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bbox as turfBbox, pointOnFeature } from '@turf/turf';
import type { Page } from 'playwright-core';
import type {} from '../../client/testHook.js'; // the window.__gridcc type
import type { GridCollection, GridFeature } from '../../server/schemas/grids.js';
import type { RegionCollection } from '../../server/schemas/regions.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const ARTIFACTS = new URL('../artifacts/', import.meta.url);
const EXPECTED_GRIDS = 1076;
const PICK_CODE = '320722001001-01';

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${BASE}${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Fits the map to a box without animation and waits until MapLibre is idle and deck.gl has drawn. */
async function showBounds(page: Page, box: number[], padding: number): Promise<void> {
  await page.evaluate(
    ([b, p]) =>
      new Promise<void>((resolve) => {
        const hook = window.__gridcc!;
        const map = hook.map!;
        map.once('idle', () => void hook.nextFrame().then(() => resolve()));
        map.fitBounds([b[0], b[1], b[2], b[3]], { padding: p, animate: false, maxZoom: 14.5 });
        map.triggerRepaint();
      }),
    [box, padding] as const,
  );
}

/** Map-container pixel of a [lon, lat], and the container's offset in the page. */
async function projectToPage(page: Page, lonLat: number[]): Promise<{ x: number; y: number; mapX: number; mapY: number }> {
  return page.evaluate(([lon, lat]) => {
    const map = window.__gridcc!.map!;
    const p = map.project([lon, lat]);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y, mapX: p.x, mapY: p.y };
  }, lonLat);
}

describe('operator map at /', () => {
  let session: BrowserSession;
  let page: Page;
  const foreignRequests: string[] = [];
  let grids: GridCollection;
  let townships: RegionCollection;

  beforeAll(async () => {
    if (!BASE) throw new Error('E2E_BASE_URL is not set (e.g. http://127.0.0.1:3000): the e2e tests need a running server');
    mkdirSync(ARTIFACTS, { recursive: true });
    [grids, townships] = await Promise.all([
      getJson<GridCollection>('/api/grids'),
      getJson<RegionCollection>('/api/regions?level=township'),
    ]);
    session = await openBrowser({ width: 1440, height: 900 });
    page = session.page;
    const origin = new URL(BASE).origin;
    page.on('request', (req) => {
      const url = req.url();
      if (!/^(data|blob):/.test(url) && new URL(url).origin !== origin) foreignRequests.push(url);
    });
    await page.goto(`${BASE}/`);
    // `__gridcc.isReady` turns true once grids and labels are drawn; the app's error banner ends
    // the wait early with its message.
    const outcome = await page
      .waitForFunction(
        () => (window.__gridcc?.isReady ? 'ready' : (document.querySelector('.app-status--error')?.textContent ?? null)),
        undefined,
        { timeout: 120_000, polling: 250 },
      )
      .then((h) => h.jsonValue())
      .catch((e: Error) => `timeout: ${e.message}`);
    if (outcome !== 'ready') throw new Error(`the map did not get ready: ${outcome}; page errors: ${session.errors.join(' | ')}`);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('draws all grids, the township boundaries and labels', async () => {
    const layers = await page.evaluate(() => window.__gridcc!.layers());
    const byId = Object.fromEntries(layers.map((l) => [l.id, l]));
    expect(byId.grids).toMatchObject({ visible: true, loaded: true, count: EXPECTED_GRIDS });
    expect(grids.features).toHaveLength(EXPECTED_GRIDS);
    expect(byId['township-boundary']).toMatchObject({ visible: true, loaded: true, count: townships.features.length });
    expect(byId['township-labels']).toMatchObject({ visible: true, loaded: true });
    expect(await page.locator('h1').innerText()).toBe('东海县网格化治理指挥中心');
    await page.screenshot({ path: new URL('map-county.png', ARTIFACTS).pathname });
  });

  it('renders the township names (label layer data and pixels)', async () => {
    const labels = (await page.evaluate(() =>
      (window.__gridcc!.layerData('township-labels') ?? []).map((f) => (f as { properties: { name: string } }).properties.name),
    )) as string[];
    const expected = townships.features.map((f) => f.properties.name);
    // Every label drawn is a township of the API; most of them fit at county zoom (the rest are
    // dropped by the label declutter where they would overlap).
    for (const name of labels) expect(expected).toContain(name);
    expect(labels.length).toBeGreaterThanOrEqual(Math.ceil(expected.length * 0.6));

    // Pixels: the area around one label differs with the label layer shown and hidden.
    const township = townships.features.find((f) => f.properties.name === labels[0])!;
    const p = await projectToPage(page, township.properties.label);
    const clip = { x: Math.round(p.x - 60), y: Math.round(p.y - 14), width: 120, height: 28 };
    const shown = await page.screenshot({ clip });
    await page.evaluate(() => window.__gridcc!.setHidden(['township-labels']));
    const hidden = await page.screenshot({ clip });
    await page.evaluate(() => window.__gridcc!.setHidden([]));
    expect(shown.equals(hidden), `label "${labels[0]}" changes no pixel`).toBe(false);
  });

  it('shows the tooltip of the grid under the pointer', async () => {
    const grid: GridFeature =
      grids.features.find((f) => f.properties.code === PICK_CODE) ??
      // Seed data without that code: any urban grid does.
      grids.features.find((f) => f.properties.kind === 'urban')!;
    // Zoom in around the grid so it is many pixels wide, then point inside it.
    await showBounds(page, turfBbox(grid), 280);
    const [lon, lat] = pointOnFeature(grid).geometry.coordinates;
    const p = await projectToPage(page, [lon, lat]);

    const picked = await page.evaluate(
      ({ x, y }) => {
        const info = window.__gridcc!.deck!.pickObject({ x, y, layerIds: ['grids'] });
        return (info?.object as { properties?: { code?: string } } | undefined)?.properties?.code ?? null;
      },
      { x: p.mapX, y: p.mapY },
    );
    expect(picked).toBe(grid.properties.code);

    // Software WebGL: each pointer move costs a picking pass and a frame (~1 s), so move once.
    await page.mouse.move(p.x, p.y);
    const tooltip = page.locator(`[data-testid="grid-tooltip"][data-grid-code="${grid.properties.code}"]`);
    await tooltip.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await tooltip.innerText();
    const g = grid.properties;
    for (const part of ['网格', '编码', '镇街', '村社区', '网格员', g.name, g.code, g.townshipName, g.villageName]) {
      expect(text).toContain(part);
    }
    expect(await tooltip.locator('[data-field="workers"]').innerText()).toContain(String(g.workerCount));
    await page.evaluate(() => window.__gridcc!.nextFrame()); // the highlight is drawn
    await page.screenshot({ path: new URL('map.png', ARTIFACTS).pathname });
  });

  it('downloads the grids in view as GeoJSON from the layer panel', async () => {
    const link = page.locator('[data-export="grids.geojson"]');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    // the box of the view at the moment of the click, as the link sent it
    const sent = new URL(download.url());
    expect(sent.pathname).toBe('/api/export/grids.geojson');
    const bbox = sent.searchParams.get('bbox')!.split(',').map(Number);
    expect(download.suggestedFilename()).toMatch(/^grids-\d{4}-\d{2}-\d{2}\.geojson$/);
    const fc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as GridCollection;
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features) {
      const pts = (f.geometry.coordinates as number[][][]).flat();
      const [x0, y0, x1, y1] = [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
      // PostGIS compares boxes in single precision: a grid within a metre of the edge may come along
      const e = 1e-4;
      expect(x1 >= bbox[0] - e && x0 <= bbox[2] + e && y1 >= bbox[1] - e && y0 <= bbox[3] + e, `grid ${f.id} [${[x0, y0, x1, y1]}] is in view [${bbox}]`).toBe(true);
    }
  });

  it('loaded nothing from other origins and logged no errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
