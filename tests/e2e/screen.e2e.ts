// The command-center screens in a real browser (Debian Chromium, WebGL through SwiftShader) on the
// real server with the seeded data:
//
// - /screen at 1920×1080 draws the four layers (grids, cameras, incident heatmap, patrols), checked
//   through picking at known points and through the layers' state in the test hook, never by
//   sleeping; its KPI figures equal SQL counts on the same database;
// - /screen?layers= is the bare base map; /screen at 3840×2160 lays out like 1080p, twice the size;
// - the operator view at / hides a layer when its switch is turned off, and writes that to the URL.
//
// Screenshots: tests/artifacts/screen-1080.png, screen-4k.png, operator.png.
//   E2E_BASE_URL=http://127.0.0.1:3111 E2E_DATABASE_URL=postgres://…/gridcc_e2e \
//     npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/screen.e2e.ts
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { area, pointOnFeature } from '@turf/turf';
import type { Page } from 'playwright-core';
import type {} from '../../client/testHook.js'; // the window.__gridcc type
import type { GridCollection } from '../../server/schemas/grids.js';
import type { Heatmap } from '../../server/schemas/incidents.js';
import { databaseUrl } from '../support/db.js';
import { deviceKeys } from '../support/fixtures.js';
import { userWithToken } from '../support/auth.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const ARTIFACTS = new URL('../artifacts/', import.meta.url);
const TZ = 'Asia/Shanghai';
const EXPECTED_GRIDS = 1076;

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${BASE}${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Loads a page and waits through the test hook until every layer shown has drawn. */
async function openReady(session: BrowserSession, path: string): Promise<void> {
  await session.page.goto(`${BASE}${path}`);
  const outcome = await session.page
    .waitForFunction(
      () => (window.__gridcc?.isReady ? 'ready' : (document.querySelector('.app-status--error')?.textContent ?? null)),
      undefined,
      { timeout: 240_000, polling: 500 },
    )
    .then((h) => h.jsonValue())
    .catch((e: Error) => `timeout: ${e.message}`);
  if (outcome !== 'ready') {
    const groups = await session.page.evaluate(() => window.__gridcc?.groups()).catch(() => null);
    throw new Error(`${path} did not get ready: ${outcome}; groups ${JSON.stringify(groups)}; page errors: ${session.errors.join(' | ')}`);
  }
}

/** Map-container pixel of a WGS84 point (the offline base map draws WGS84). */
function project(page: Page, lonLat: readonly number[]) {
  return page.evaluate(([lon, lat]) => {
    const p = window.__gridcc!.map!.project([lon, lat]);
    const r = window.__gridcc!.map!.getContainer().getBoundingClientRect();
    return { x: p.x, y: p.y, pageX: r.left + p.x, pageY: r.top + p.y };
  }, lonLat as number[]);
}

function pick(page: Page, at: { x: number; y: number }, layerIds: string[], radius = 2) {
  return page.evaluate(
    ({ x, y, layerIds, radius }) => {
      const info = window.__gridcc!.deck!.pickObject({ x, y, layerIds, radius });
      return info ? { layer: info.layer?.id ?? null, object: info.object as unknown } : null;
    },
    { x: at.x, y: at.y, layerIds, radius },
  );
}

const layerStats = async (page: Page) => Object.fromEntries((await page.evaluate(() => window.__gridcc!.layers())).map((l) => [l.id, l]));

interface PostedWorker { id: number; deviceId: string; lon: number; lat: number }

describe('wall screen /screen at 1920×1080', () => {
  let session: BrowserSession;
  let page: Page;
  let pool: pg.Pool;
  let grids: GridCollection;
  let posted: PostedWorker[];
  const heatResponses: Heatmap[] = [];

  beforeAll(async () => {
    if (!BASE) throw new Error('E2E_BASE_URL is not set (e.g. http://127.0.0.1:3000): the e2e tests need a running server');
    mkdirSync(ARTIFACTS, { recursive: true });
    pool = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL ?? databaseUrl('gridcc_e2e'), max: 2 });
    grids = await getJson<GridCollection>('/api/grids');

    // Live positions for a dozen workers spread over the county, inside their own grids, so the
    // patrol layer has markers whatever earlier runs left in the database.
    const { rows } = await pool.query<PostedWorker>(`
      SELECT w.id, w.device_id AS "deviceId", ST_X(p) AS lon, ST_Y(p) AS lat
      FROM (SELECT * FROM workers WHERE active AND device_id IS NOT NULL ORDER BY id) w
      JOIN grids g ON g.id = w.grid_id, LATERAL ST_PointOnSurface(g.geom) p
      WHERE w.id % 240 = 7 ORDER BY w.id LIMIT 12`);
    posted = rows;
    const keys = await deviceKeys(pool, rows.map((w) => w.deviceId));
    const now = Date.now();
    const res = await fetch(`${BASE}/api/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(posted.map((w) => ({ deviceId: w.deviceId, key: keys.get(w.deviceId), time: new Date(now).toISOString(), lon: w.lon, lat: w.lat, speed: 1.2 }))),
    });
    const ingest = (await res.json()) as { accepted: number; duplicates: number };
    expect(ingest.accepted + ingest.duplicates).toBe(posted.length);

    session = await openBrowser({ width: 1920, height: 1080 });
    page = session.page;
    page.on('response', async (r) => {
      if (r.url().includes('/api/incidents/heatmap') && r.ok()) heatResponses.push((await r.json()) as Heatmap);
    });
    await openReady(session, '/screen');
  });

  afterAll(async () => {
    await session?.close();
    await pool?.end();
  });

  it('draws the grids: all 1,076, picked at a point inside one', async () => {
    const s = await layerStats(page);
    expect(s.grids).toMatchObject({ visible: true, loaded: true, count: EXPECTED_GRIDS });
    // The biggest grid is many pixels wide even at county zoom: pick at a point inside it.
    const grid = grids.features.reduce((a, b) => (area(b) > area(a) ? b : a));
    const at = await project(page, pointOnFeature(grid).geometry.coordinates);
    const picked = await pick(page, at, ['grids'], 0);
    expect((picked?.object as { properties: { code: string } } | undefined)?.properties.code).toBe(grid.properties.code);
  });

  it('draws the cameras: clusters with their counts, picked at a cluster', async () => {
    const s = await layerStats(page);
    expect(s['camera-clusters']).toMatchObject({ visible: true, loaded: true });
    expect(s['camera-clusters'].count).toBeGreaterThan(20);
    const clusters = (await page.evaluate(() => window.__gridcc!.layerData('camera-clusters'))) as Array<{ position: [number, number]; members: unknown[] }>;
    const singles = (await page.evaluate(() => window.__gridcc!.layerData('cameras'))) ?? [];
    const total = clusters.reduce((n, c) => n + c.members.length, 0) + singles.length;
    const { rows: [{ n }] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cameras');
    expect(total).toBe(n);
    // Pick the biggest cluster at its centre.
    const big = clusters.reduce((a, b) => (b.members.length > a.members.length ? b : a));
    const picked = await pick(page, await project(page, big.position), ['camera-clusters']);
    expect((picked?.object as { members: unknown[] } | undefined)?.members.length).toBe(big.members.length);
  });

  it('draws the incident heatmap from the server bins, and it changes pixels', async () => {
    const s = await layerStats(page);
    expect(s['incident-heatmap']).toMatchObject({ visible: true, loaded: true });
    const last = heatResponses.at(-1)!;
    expect(last.bins.length).toBeGreaterThan(50);
    expect(s['incident-heatmap'].count).toBe(last.bins.length);
    // The heat's hottest bin: the area around it differs with the heatmap shown and hidden.
    const hot = last.bins.reduce((a, b) => (b[2] > a[2] ? b : a));
    const p = await project(page, hot);
    const clip = { x: Math.round(p.pageX - 40), y: Math.round(p.pageY - 40), width: 80, height: 80 };
    const shown = await page.screenshot({ clip });
    await page.evaluate(() => window.__gridcc!.setHidden(['incident-heatmap']));
    const hidden = await page.screenshot({ clip });
    await page.evaluate(() => window.__gridcc!.setHidden([]));
    expect(shown.equals(hidden), 'the heatmap changes no pixel around its hottest bin').toBe(false);
  });

  it('draws the patrol layer: the workers with live positions, picked where they are', async () => {
    const s = await layerStats(page);
    expect(s.workers).toMatchObject({ visible: true, loaded: true });
    const tuples = await page.evaluate(() => window.__gridcc!.workers());
    for (const w of posted) {
      const t = tuples.find((x) => x[0] === w.id);
      expect(t, `worker ${w.id} in the live layer`).toBeDefined();
      expect(t![1]).toBeCloseTo(w.lon, 5);
      expect(t![2]).toBeCloseTo(w.lat, 5);
    }
    const w = posted[0];
    const picked = await pick(page, await project(page, [w.lon, w.lat]), ['workers'], 3);
    expect(Array.isArray(picked?.object)).toBe(true);
    // Another worker can share the spot at county zoom; the one picked stands within a few pixels.
    const t = picked!.object as number[];
    const q = await project(page, [t[1], t[2]]);
    const pw = await project(page, [w.lon, w.lat]);
    expect(Math.hypot(q.x - pw.x, q.y - pw.y)).toBeLessThan(8);
    await page.screenshot({ path: new URL('screen-1080.png', ARTIFACTS).pathname });
  });

  it('shows KPI figures equal to the SQL counts', async () => {
    // Just after local midnight a freshly seeded county has no incident yet today: report one, so
    // that the day's figures are not compared as zeros.
    const { rows: [today] } = await pool.query(`SELECT count(*)::int AS n FROM incidents WHERE reported_at >= date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1`, [TZ]);
    if (today.n === 0) {
      const dispatcher = await userWithToken(pool, 'dispatcher');
      const { rows: [p] } = await pool.query('SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids ORDER BY id LIMIT 1');
      const res = await fetch(`${BASE}/api/incidents`, {
        method: 'POST', headers: { ...dispatcher.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'C01', source: 'hotline', description: '路灯不亮', lon: p.lon, lat: p.lat }),
      });
      expect(res.status).toBe(201);
    }
    const read = async () => {
      const asOf = await page.evaluate(() => window.__gridcc!.refreshKpis());
      const shown = await page.evaluate(() => {
        const v = (id: string) => document.querySelector(`[data-kpi="${id}"] [data-value]`)?.textContent?.replace(/,/g, '') ?? null;
        return {
          grids: v('grids'), workers: v('workers'), onDuty: v('onDuty'), patrolling: v('patrolling'), idle: v('idle'), outside: v('outside'),
          incidentsToday: v('incidentsToday'), overdue: v('overdue'), hotline: v('hotline'),
          gridsVisited: document.querySelector('[data-kpi="gridsVisited"]')?.getAttribute('data-count') ?? null,
          asOf: document.querySelector('[data-testid="kpi-panel"]')?.getAttribute('data-as-of') ?? null,
        };
      });
      const { rows: [sql] } = await pool.query(`
        WITH t AS (SELECT $1::timestamptz AS at),
        d AS (SELECT date_trunc('day', at AT TIME ZONE $2) AT TIME ZONE $2 AS start, (at AT TIME ZONE $2)::date AS day, at FROM t)
        SELECT
          (SELECT count(*) FROM grids)::text AS grids,
          (SELECT count(*) FROM workers WHERE active)::text AS workers,
          (SELECT count(*) FROM worker_status WHERE state <> 'offline')::text AS "onDuty",
          (SELECT count(*) FROM worker_status WHERE state = 'patrolling')::text AS patrolling,
          (SELECT count(*) FROM worker_status WHERE state = 'idle')::text AS idle,
          (SELECT count(*) FROM worker_status WHERE state = 'outside')::text AS outside,
          (SELECT count(*) FROM incidents, d WHERE reported_at >= d.start AND reported_at <= d.at)::text AS "incidentsToday",
          (SELECT count(*) FROM incidents, d WHERE due_at < d.at AND status IN ('reported', 'accepted', 'dispatched', 'in_progress', 'returned'))::text AS overdue,
          (SELECT count(*) FROM incidents, d WHERE source = 'hotline' AND reported_at >= d.start AND reported_at <= d.at)::text AS hotline,
          (SELECT count(DISTINCT grid_id) FROM patrol_visits, d WHERE patrol_visits.day = d.day)::text AS "gridsVisited"`, [shown.asOf, TZ]);
      return { asOf, shown, sql };
    };
    // Worker states move on their own (the sweeper marks silent workers offline): compare figures
    // read at one moment, trying again if a state changed between the two reads.
    let last: Awaited<ReturnType<typeof read>> | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      last = await read();
      const { asOf: _a, ...figures } = last.shown;
      if (Object.entries(last.sql).every(([k, v]) => figures[k as keyof typeof figures] === v)) break;
    }
    const { asOf, ...figures } = last!.shown;
    expect(asOf).toBe(last!.asOf);
    expect(figures).toEqual(last!.sql);
    expect(Number(figures.grids)).toBe(EXPECTED_GRIDS);
    expect(Number(figures.incidentsToday)).toBeGreaterThan(0);
  });

  it('lists the newest urgent incidents in the ticker and shows one of them in focus', async () => {
    const { rows } = await pool.query<{ id: string }>(`
      SELECT id FROM incidents WHERE priority <= 1 AND reported_at > now() - interval '7 days' AND reported_at <= now()
      ORDER BY reported_at DESC LIMIT 20`);
    const ids = await page.evaluate(() => [...document.querySelectorAll('[data-testid="ticker"] [data-incident-id]')].map((e) => e.getAttribute('data-incident-id')));
    expect(ids.slice(0, 5)).toEqual(rows.slice(0, 5).map((r) => String(r.id)));
    const focus = page.locator('[data-testid="screen-focus"]');
    await focus.locator('[data-testid="incident-card"] [data-field="code"]').waitFor({ timeout: 30_000 });
    const active = await page.evaluate(() => document.querySelector('[data-testid="ticker"] [data-active="true"]')?.getAttribute('data-incident-id'));
    expect(await focus.getAttribute('data-incident-id')).toBe(active);
    // The clock is in the county's time zone, whatever the browser's.
    const clock = await page.locator('[data-testid="clock"] time').innerText();
    const expected = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date());
    expect(clock.slice(0, 2)).toBe(expected.slice(0, 2));
    expect(await page.getByTestId('freshness').getAttribute('data-state')).toBe('live');
    expect(await page.getByTestId('demo-note').innerText()).toContain('示意数据');
  });

  it('needs no scrolling and no mouse: nothing overflows, no switches on the wall', async () => {
    const layout = await page.evaluate(() => ({
      scrollW: document.documentElement.scrollWidth,
      scrollH: document.documentElement.scrollHeight,
      inputs: document.querySelectorAll('.screen input, .screen select, .screen button').length,
      rootFont: parseFloat(getComputedStyle(document.documentElement).fontSize),
    }));
    expect(layout).toMatchObject({ scrollW: 1920, scrollH: 1080, inputs: 0 });
    expect(layout.rootFont).toBeCloseTo(16, 1);
  });

  it('logged no errors', () => {
    expect(session.errors).toEqual([]);
  });
});

describe('wall screen variants', () => {
  it('/screen?layers= is the bare base map: no data layers at all', async () => {
    const session = await openBrowser({ width: 1920, height: 1080 });
    try {
      await openReady(session, '/screen?layers=');
      const layers = await session.page.evaluate(() => window.__gridcc!.layers());
      expect(layers.filter((l) => l.visible && l.count > 0)).toEqual([]);
      expect(await session.page.evaluate(() => window.__gridcc!.groups())).toEqual({ enabled: [], pending: [] });
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('/screen at 3840×2160 lays out as at 1080p, twice the size', async () => {
    const session = await openBrowser({ width: 3840, height: 2160 });
    try {
      await openReady(session, '/screen');
      const page = session.page;
      const layout = await page.evaluate(() => {
        const r = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
        return {
          rootFont: parseFloat(getComputedStyle(document.documentElement).fontSize),
          left: r('.screen__panel--left').width / window.innerWidth,
          right: r('.screen__panel--right').width / window.innerWidth,
          title: r('.screen__title h1').height / window.innerHeight,
          scrollH: document.documentElement.scrollHeight,
        };
      });
      expect(layout.rootFont).toBeCloseTo(32, 1);
      expect(layout.left).toBeCloseTo(27 * 16 / 1920, 2);
      expect(layout.right).toBeCloseTo(26 * 16 / 1920, 2);
      expect(layout.scrollH).toBe(2160);
      const s = Object.fromEntries((await page.evaluate(() => window.__gridcc!.layers())).map((l) => [l.id, l]));
      expect(s.grids.count).toBe(EXPECTED_GRIDS);
      await page.screenshot({ path: new URL('screen-4k.png', ARTIFACTS).pathname });
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }
  }, 360_000); // a 4K frame in software WebGL is slow on a busy machine
});

describe('operator view /', () => {
  it('hides a layer when its switch is turned off, and says so in the URL', async () => {
    const session = await openBrowser({ width: 1600, height: 900 });
    try {
      await openReady(session, '/');
      const page = session.page;
      await page.screenshot({ path: new URL('operator.png', ARTIFACTS).pathname });
      const clusters = (await page.evaluate(() => window.__gridcc!.layerData('camera-clusters'))) as Array<{ position: [number, number]; members: unknown[] }>;
      const big = clusters.reduce((a, b) => (b.members.length > a.members.length ? b : a));
      const at = await project(page, big.position);
      expect((await pick(page, at, ['camera-clusters']))?.object).toBeTruthy();

      await page.getByTestId('toggle-cameras').click();
      await page.waitForFunction(() => window.__gridcc!.layers().find((l) => l.id === 'camera-clusters')?.visible === false, undefined, { timeout: 30_000 });
      await page.evaluate(() => window.__gridcc!.nextFrame());
      const s = Object.fromEntries((await page.evaluate(() => window.__gridcc!.layers())).map((l) => [l.id, l]));
      expect(s['camera-clusters'].visible).toBe(false);
      expect(s.cameras.visible).toBe(false);
      expect(s.grids.visible).toBe(true);
      expect(await pick(page, at, ['camera-clusters'])).toBeNull();
      await page.waitForFunction(() => new URLSearchParams(location.search).get('layers') === 'grids,regions,incidents,patrols', undefined, { timeout: 10_000 });

      // And back on.
      await page.getByTestId('toggle-cameras').click();
      await page.waitForFunction(() => window.__gridcc!.layers().find((l) => l.id === 'camera-clusters')?.visible === true, undefined, { timeout: 30_000 });
      await page.evaluate(() => window.__gridcc!.nextFrame());
      expect((await pick(page, at, ['camera-clusters']))?.object).toBeTruthy();
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
