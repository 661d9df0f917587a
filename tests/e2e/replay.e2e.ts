// The patrol replay in a real browser (Debian Chromium, WebGL through SwiftShader) on the real
// server and database:
//
//   1. picks a grid worker with a device and an incident reported in its grid some hours ago, and
//      posts a short track for that worker around the incident (POST /api/positions, as a phone
//      would): a walk to the incident, a 6-minute stop there, a walk on;
//   2. opens the replay for that worker and a window around it, plays at ×60;
//   3. checks through the page's test hook (window.__gridccReplay, client/replay/testHook.ts) that
//      the marker moved along the posted positions in time, stood still during the stop, that the
//      incident appeared at its time, and that the distance and stops shown match the positions.
//
//   E2E_BASE_URL=http://127.0.0.1:3000 E2E_DATABASE_URL=postgres://… npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/replay.e2e.ts
//
// The page is at /replay (E2E_REPLAY_PATH overrides it, e.g. a standalone build of the page).
// Waits through the test hook, never by sleeping. Screenshot: tests/artifacts/replay.png.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type { ReplayTestHook } from '../../client/replay/testHook.js';
import { deviceKeys } from '../support/fixtures.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const DATABASE_URL = process.env.E2E_DATABASE_URL;
const REPLAY_PATH = process.env.E2E_REPLAY_PATH ?? '/replay';
const ARTIFACTS = new URL('../artifacts/', import.meta.url);

const STEP_S = 15;
const WALK_MPS = 1.2;
const M_PER_DEG_LAT = 111_320;

interface Fix {
  time: number; // epoch ms
  lon: number;
  lat: number;
  speed: number;
}

interface Scenario {
  workerId: number;
  workerName: string;
  deviceId: string;
  incidentId: number;
  incidentAt: number;
  incident: [number, number];
  /** Where the worker stood while reporting: across the street from the incident. */
  stopAt: [number, number];
  fixes: Fix[];
  stop: { from: number; to: number };
  from: number;
  to: number;
}

/** Kilometres as the panel writes them (two decimals below 10 km). */
const km = (m: number) => (m / 1000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const haversine = (a: [number, number], b: [number, number]) => {
  const r = Math.PI / 180;
  const s = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(s));
};

/** Local metres around a point (good enough over a kilometre). */
function toMetres(origin: [number, number]) {
  const kx = Math.cos((origin[1] * Math.PI) / 180) * M_PER_DEG_LAT;
  return ([lon, lat]: [number, number]): [number, number] => [(lon - origin[0]) * kx, (lat - origin[1]) * M_PER_DEG_LAT];
}

/** Distance from p to the polyline, and how far along it the nearest point lies (metres). */
function onPolyline(line: Array<[number, number]>, p: [number, number]): { dist: number; along: number } {
  let best = { dist: Infinity, along: 0 };
  let walked = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax, ay] = line[i];
    const [bx, by] = line[i + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const f = len2 ? Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / len2)) : 0;
    const d = Math.hypot(ax + f * dx - p[0], ay + f * dy - p[1]);
    if (d < best.dist - 1e-9) best = { dist: d, along: walked + f * Math.sqrt(len2) };
    walked += Math.sqrt(len2);
  }
  return best;
}

/**
 * A worker with a device and no positions yet, and an incident reported in the worker's grid
 * between 40 minutes and 20 hours ago (phones may send positions up to 7 days old, so the track
 * can be posted at that time). The seeded incidents run up to the time of seeding; when the e2e
 * database was seeded longer ago than that, one incident is added at a point inside the worker's
 * grid (ST_PointOnSurface) and removed again after the test (`cleanup`).
 */
async function makeScenario(pool: pg.Pool): Promise<{ scenario: Scenario; cleanup: () => Promise<void> }> {
  let cleanup = async () => {};
  let { rows } = await pool.query(`
    SELECT w.id, w.name, w.device_id, i.id AS incident_id, i.reported_at, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
    FROM incidents i
    JOIN grids g ON g.id = i.grid_id
    JOIN workers w ON w.grid_id = g.id AND w.active AND w.device_id IS NOT NULL
    WHERE i.reported_at BETWEEN now() - interval '20 hours' AND now() - interval '40 minutes'
      AND ST_Contains(g.geom, i.geom)
      AND NOT EXISTS (SELECT 1 FROM positions p WHERE p.worker_id = w.id)
    ORDER BY i.reported_at DESC, w.id
    LIMIT 1`);
  if (!rows.length) {
    ({ rows } = await pool.query(`
      WITH w AS (
        SELECT w.id, w.name, w.device_id, g.id AS grid_id, g.village_id, v.parent_id AS township_id, ST_PointOnSurface(g.geom) AS p
        FROM workers w JOIN grids g ON g.id = w.grid_id JOIN regions v ON v.id = g.village_id
        WHERE w.active AND w.device_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM positions p WHERE p.worker_id = w.id)
        ORDER BY w.id DESC LIMIT 1
      ), i AS (
        INSERT INTO incidents (code, category, source, status, priority, description, geom, grid_id, village_id, township_id, reported_at)
        SELECT 'E2E-REPLAY-' || w.id, '环境卫生', 'grid_worker', 'closed', 2, 'replay e2e test', w.p, w.grid_id, w.village_id, w.township_id,
               date_trunc('second', now()) - interval '1 hour'
        FROM w RETURNING id, reported_at, geom
      )
      SELECT w.id, w.name, w.device_id, i.id AS incident_id, i.reported_at, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat FROM w, i`));
    if (!rows.length) throw new Error('no active worker with a device and without positions in the e2e database');
    const id = rows[0].incident_id;
    cleanup = async () => {
      await pool.query('DELETE FROM incidents WHERE id = $1', [id]);
    };
  }
  const r = rows[0];
  const at = new Date(r.reported_at).getTime();
  const incident: [number, number] = [r.lon, r.lat];
  // Whole seconds: the server keeps positions to the second, tracks carry epoch seconds.
  const R = Math.floor(at / 1000) * 1000;
  const kx = Math.cos((incident[1] * Math.PI) / 180) * M_PER_DEG_LAT;
  const stepM = WALK_MPS * STEP_S;
  const stopAt: [number, number] = [incident[0] - 45 / kx, incident[1] - 25 / M_PER_DEG_LAT];
  const fixes: Fix[] = [];
  // Walk east to the stop (24 fixes, the last one 18 m before it) ...
  const stopFrom = R - 120_000;
  for (let i = 24; i >= 1; i--) fixes.push({ time: stopFrom - i * STEP_S * 1000, lon: stopAt[0] - (i * stepM) / kx, lat: stopAt[1], speed: WALK_MPS });
  // ... stand there 6 minutes (reporting the incident) ...
  const stopTo = R + 240_000;
  for (let t = stopFrom; t <= stopTo; t += STEP_S * 1000) fixes.push({ time: t, lon: stopAt[0], lat: stopAt[1], speed: 0 });
  // ... and walk north for about 6 minutes.
  for (let i = 1; i <= 23; i++) fixes.push({ time: stopTo + i * STEP_S * 1000, lon: stopAt[0], lat: stopAt[1] + (i * stepM) / M_PER_DEG_LAT, speed: WALK_MPS });
  const scenario: Scenario = {
    workerId: r.id,
    workerName: r.name,
    deviceId: r.device_id,
    incidentId: Number(r.incident_id),
    incidentAt: at,
    incident,
    stopAt,
    fixes,
    stop: { from: stopFrom, to: stopTo },
    from: fixes[0].time - 60_000,
    to: fixes[fixes.length - 1].time + 60_000,
  };
  return { scenario, cleanup };
}

type HookState = Pick<ReplayTestHook, 'status' | 'error' | 'time' | 'from' | 'to' | 'playing' | 'speed' | 'followed' | 'markers' | 'workers' | 'incidents' | 'mapReady' | 'frames'> & {
  wall: number;
};

function readHook(page: Page): Promise<HookState> {
  return page.evaluate(() => {
    const h = window.__gridccReplay!;
    return {
      wall: performance.now(),
      status: h.status,
      error: h.error,
      time: h.time,
      from: h.from,
      to: h.to,
      playing: h.playing,
      speed: h.speed,
      followed: h.followed,
      markers: h.markers,
      workers: h.workers,
      incidents: h.incidents,
      mapReady: h.mapReady,
      frames: h.frames,
    };
  });
}

/**
 * Waits until MapLibre is idle (the deck.gl overlay draws in the same frames as the map, so it has
 * drawn too), then two more animation frames for React effects that followed.
 */
function settle(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__gridccReplay!.map!;
        const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        if (map.loaded() && !map.isMoving()) frames();
        else map.once('idle', frames);
      }),
  );
}

describe('patrol replay', () => {
  let session: BrowserSession;
  let page: Page;
  let pool: pg.Pool;
  let sc: Scenario;
  let cleanup = async () => {};
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    if (!BASE) throw new Error('E2E_BASE_URL is not set: the e2e tests need a running server (npm run test:e2e starts one)');
    if (!DATABASE_URL) throw new Error('E2E_DATABASE_URL is not set: the replay test reads a worker and its device from the database');
    mkdirSync(ARTIFACTS, { recursive: true });
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    ({ scenario: sc, cleanup } = await makeScenario(pool));
    const key = (await deviceKeys(pool, [sc.deviceId])).get(sc.deviceId);

    const res = await fetch(`${BASE}/api/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sc.fixes.map((f) => ({ deviceId: sc.deviceId, key, time: new Date(f.time).toISOString(), lon: f.lon, lat: f.lat, speed: f.speed }))),
    });
    const ingest = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
    expect(res.status, JSON.stringify(ingest)).toBe(200);
    expect(ingest).toMatchObject({ accepted: sc.fixes.length, rejected: [] });

    session = await openBrowser({ width: 1440, height: 900 });
    page = session.page;
    const origin = new URL(BASE).origin;
    page.on('request', (req) => {
      const url = req.url();
      if (!/^(data|blob):/.test(url) && new URL(url).origin !== origin) foreignRequests.push(url);
    });
    const q = new URLSearchParams({ worker: String(sc.workerId), from: new Date(sc.from).toISOString(), to: new Date(sc.to).toISOString() });
    await page.goto(`${BASE}${REPLAY_PATH}?${q}`);
    const mounted = await page
      .waitForFunction(() => window.__gridccReplay !== undefined, undefined, { timeout: 60_000 })
      .then(() => true)
      .catch(() => false);
    if (!mounted) throw new Error(`${REPLAY_PATH} does not show the replay page (no window.__gridccReplay): route it to <ReplayPage />; page errors: ${session.errors.join(' | ')}`);
    const outcome = await page
      .waitForFunction(
        () => {
          const h = window.__gridccReplay;
          if (h?.status === 'error') return `error: ${h.error}`;
          return h?.status === 'ready' && h.mapReady && h.incidents.total > 0 ? 'ready' : null;
        },
        undefined,
        { timeout: 120_000, polling: 250 },
      )
      .then((h) => h.jsonValue())
      .catch((e: Error) => `timeout: ${e.message}`);
    if (outcome !== 'ready') throw new Error(`the replay did not get ready: ${outcome}; page errors: ${session.errors.join(' | ')}`);
  });

  afterAll(async () => {
    await session?.close();
    await cleanup();
    await pool?.end();
  });

  it('loads the track of the worker with the distance and stop of the posted positions', async () => {
    const h = await readHook(page);
    expect(h.from).toBe(sc.from);
    expect(h.to).toBe(sc.to);
    expect(h.workers).toHaveLength(1);
    const w = h.workers[0];
    expect(w).toMatchObject({ workerId: sc.workerId, name: sc.workerName, points: sc.fixes.length, stops: 1 });
    expect(w.startMs).toBe(sc.fixes[0].time);
    expect(w.endMs).toBe(sc.fixes.at(-1)!.time);
    // Distance: the server's length of the line through every posted position.
    let expected = 0;
    for (let i = 1; i < sc.fixes.length; i++) expected += haversine([sc.fixes[i - 1].lon, sc.fixes[i - 1].lat], [sc.fixes[i].lon, sc.fixes[i].lat]);
    expect(Math.abs(w.distanceM - expected) / expected).toBeLessThan(0.005);
    expect(w.stopMinutes).toBe(6);

    // The panel shows the same.
    const row = page.locator(`[data-testid="replay-worker"][data-worker-id="${sc.workerId}"]`);
    await expect.poll(() => row.locator('[data-field="distance"]').innerText()).toBe(`0.00 / ${km(w.distanceM)} 公里`);
    expect(await row.locator('[data-field="stops"]').innerText()).toBe('1 次 · 6分钟');
    expect(await row.locator('.replay-worker__name').innerText()).toBe(sc.workerName);
    // The clock waits a minute before the first position; the worker has not appeared yet.
    expect(h.time).toBe(sc.fixes[0].time - 60_000);
    expect(h.markers[0].state).toBe('before');
    expect(h.incidents.shownIds).not.toContain(sc.incidentId);
  });

  it('plays at ×60: the marker moves along the posted positions in time, stands at the stop, the incident appears', async () => {
    await page.click('[data-testid="replay-speed"] [data-speed="60"]');
    await page.click('[data-testid="replay-play"]');
    const samples: HookState[] = [];
    const deadline = Date.now() + 90_000;
    for (;;) {
      const s = await readHook(page);
      samples.push(s);
      if (!s.playing && s.time >= sc.to) break;
      if (Date.now() > deadline) throw new Error(`replay did not reach the end: at ${new Date(s.time).toISOString()}`);
      await page.waitForTimeout(400); // sampling interval, not a wait for a state
    }
    expect(samples.length).toBeGreaterThan(10);

    // The clock ran at ×60 of wall time (the page's own clock), and only forward.
    const first = samples[0];
    const last = samples.at(-2)!; // still playing
    const rate = (last.time - first.time) / (last.wall - first.wall);
    expect(rate).toBeGreaterThan(50);
    expect(rate).toBeLessThan(70);
    for (let i = 1; i < samples.length; i++) expect(samples[i].time).toBeGreaterThanOrEqual(samples[i - 1].time);

    // Every marker seen lies on the posted line (the server simplifies to ~1 m at zoom 16), moving
    // forward along it; during the stop it stands where the worker stood.
    const m = toMetres(sc.stopAt);
    const line = sc.fixes.map((f) => m([f.lon, f.lat]));
    let along = -Infinity;
    let onStop = 0;
    let moving = 0;
    for (const s of samples) {
      const mk = s.markers[0];
      if (s.time < sc.fixes[0].time) {
        expect(mk.state).toBe('before');
        continue;
      }
      const p = m([mk.lon, mk.lat]);
      const { dist, along: a } = onPolyline(line, p);
      expect(dist, `marker ${JSON.stringify(mk)} at ${new Date(s.time).toISOString()}`).toBeLessThan(3);
      expect(a).toBeGreaterThanOrEqual(along - 2);
      along = a;
      // Where the posted positions say it was at that time (between two fixes, 18 m apart).
      const k = sc.fixes.findIndex((f) => f.time > s.time);
      if (k > 0) {
        const f0 = sc.fixes[k - 1];
        const f1 = sc.fixes[k];
        const f = (s.time - f0.time) / (f1.time - f0.time);
        const want = m([f0.lon + (f1.lon - f0.lon) * f, f0.lat + (f1.lat - f0.lat) * f]);
        expect(Math.hypot(p[0] - want[0], p[1] - want[1])).toBeLessThan(5);
      }
      if (s.time > sc.stop.from + 5000 && s.time < sc.stop.to - 5000) {
        onStop++;
        expect(mk.state).toBe('stopped');
        expect(Math.hypot(p[0], p[1])).toBeLessThan(1);
      } else if (s.time <= sc.fixes.at(-1)!.time) {
        if (mk.state === 'active') moving++;
      }
      // The incident is shown exactly from its report time on.
      expect(s.incidents.shownIds.includes(sc.incidentId), `incident at ${new Date(s.time).toISOString()}`).toBe(s.time >= sc.incidentAt);
    }
    expect(onStop).toBeGreaterThan(3);
    expect(moving).toBeGreaterThan(3);

    // At the end: paused at the end of the range, the marker at the last position, all travelled.
    const end = samples.at(-1)!;
    expect(end).toMatchObject({ playing: false, time: sc.to });
    expect(end.markers[0].state).toBe('after');
    const lastFix = sc.fixes.at(-1)!;
    expect(haversine([end.markers[0].lon, end.markers[0].lat], [lastFix.lon, lastFix.lat])).toBeLessThan(1);
    expect(end.markers[0].travelledM).toBeCloseTo(end.workers[0].distanceM, 3);
    const row = page.locator(`[data-testid="replay-worker"][data-worker-id="${sc.workerId}"]`);
    const total = km(end.workers[0].distanceM);
    await expect.poll(() => row.locator('[data-field="distance"]').innerText()).toBe(`${total} / ${total} 公里`);
    await expect.poll(() => row.locator('[data-field="state"]').innerText()).toBe('已结束');
    expect(await page.locator('[data-testid="replay-time"]').getAttribute('data-time')).toBe(String(sc.to));
  });

  it('follows the worker: the map keeps the marker in the middle of what is visible', async () => {
    // Back to the stop, a minute after the incident was reported.
    await page.locator('[data-testid="replay-slider"]').evaluate((el, value) => {
      const input = el as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, String(value));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, sc.incidentAt + 60_000);
    await page.click(`[data-testid="replay-worker"][data-worker-id="${sc.workerId}"] button`);
    await page.waitForFunction((id) => window.__gridccReplay?.followed === id, sc.workerId, { timeout: 10_000 });
    await page.waitForFunction(() => !window.__gridccReplay!.map!.isMoving(), undefined, { timeout: 30_000 });
    await settle(page);
    const view = await page.evaluate(() => {
      const h = window.__gridccReplay!;
      const map = h.map!;
      const mk = h.markers[0];
      const p = map.project([mk.lon, mk.lat]);
      const { left = 0, right = 0, top = 0, bottom = 0 } = map.getPadding();
      const c = map.getContainer();
      return {
        x: p.x,
        y: p.y,
        cx: left + (c.clientWidth - left - right) / 2,
        cy: top + (c.clientHeight - top - bottom) / 2,
        zoom: map.getZoom(),
        state: mk.state,
      };
    });
    expect(view.state).toBe('stopped');
    expect(Math.abs(view.x - view.cx)).toBeLessThan(3);
    expect(Math.abs(view.y - view.cy)).toBeLessThan(3);
    expect(view.zoom).toBeGreaterThanOrEqual(15);
    expect(await page.locator('[data-testid="replay-follow"]').innerText()).toContain(sc.workerName);

    // The incident marker is drawn where it was reported: picking at its pixel finds it.
    const picked = await page.evaluate(([lon, lat]) => {
      const h = window.__gridccReplay!;
      const p = h.map!.project([lon, lat]);
      const info = h.deck!.pickObject({ x: p.x, y: p.y, radius: 4, layerIds: ['replay-incidents'] });
      return (info?.object as { id?: number } | undefined)?.id ?? null;
    }, sc.incident);
    expect(picked).toBe(sc.incidentId);

    // The screenshot a little further out, to show the grid around the worker (still following).
    await page.evaluate(() => window.__gridccReplay!.map!.jumpTo({ zoom: 16 }));
    await settle(page);
    await page.screenshot({ path: new URL('replay.png', ARTIFACTS).pathname });
  });

  it('loaded nothing from other origins and logged no errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
