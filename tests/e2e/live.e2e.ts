// Live positions end to end: positions POSTed to the server (as a phone would, POST /api/positions)
// move that worker's marker on the wall screen — checked through the workers layer's data and by
// picking at the new place, never by sleeping.
//
//   E2E_BASE_URL=http://127.0.0.1:3111 E2E_DATABASE_URL=postgres://…/gridcc_e2e \
//     npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/live.e2e.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type {} from '../../client/testHook.js'; // the window.__gridcc type
import { databaseUrl } from '../support/db.js';
import { deviceKeys } from '../support/fixtures.js';
import { openBrowser, type BrowserSession } from './browser.js';

const BASE = process.env.E2E_BASE_URL?.replace(/\/$/, '');

interface Worker {
  id: number;
  deviceId: string;
  /** Two points inside the worker's own grid, a few hundred metres apart. */
  a: [number, number];
  b: [number, number];
}

/** Each phone's key (issued in beforeAll, as an administrator would). */
let keys = new Map<string, string>();

async function post(deviceId: string, [lon, lat]: [number, number], time: Date) {
  const res = await fetch(`${BASE}/api/positions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ deviceId, key: keys.get(deviceId), time: time.toISOString(), lon, lat, speed: 1.3 }]),
  });
  const body = (await res.json()) as { accepted: number; rejected: unknown[] };
  if (res.status !== 200 || body.accepted !== 1) throw new Error(`POST /api/positions: ${res.status} ${JSON.stringify(body)}`);
}

/** Waits until the page's live layer holds the worker at this place (the socket's next tick). */
async function waitForMarker(page: Page, workerId: number, [lon, lat]: [number, number]) {
  await page.waitForFunction(
    ({ workerId, lon, lat }) => {
      const t = window.__gridcc!.workers().find((x) => x[0] === workerId);
      return Boolean(t && Math.abs(t[1] - lon) < 1e-6 && Math.abs(t[2] - lat) < 1e-6);
    },
    { workerId, lon, lat },
    { timeout: 30_000, polling: 200 },
  );
  // The layer with the new data has been drawn (picking reads the drawn frame).
  await page.evaluate(() => window.__gridcc!.nextFrame());
}

/** The worker picked at a WGS84 point in the workers layer, or null. */
function pickWorker(page: Page, [lon, lat]: [number, number]) {
  return page.evaluate(
    ([lon, lat]) => {
      const hook = window.__gridcc!;
      const p = hook.map!.project([lon, lat]);
      const infos = hook.deck!.pickMultipleObjects({ x: p.x, y: p.y, layerIds: ['workers'], radius: 2, depth: 10 });
      return infos.map((i) => (i.object as number[])[0]);
    },
    [lon, lat],
  );
}

describe('live positions on /screen', () => {
  let session: BrowserSession;
  let page: Page;
  let pool: pg.Pool;
  let worker: Worker;
  let control: Worker;

  beforeAll(async () => {
    if (!BASE) throw new Error('E2E_BASE_URL is not set (e.g. http://127.0.0.1:3000): the e2e tests need a running server');
    pool = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL ?? databaseUrl('gridcc_e2e'), max: 1 });
    // A worker with a phone, and two points in its own grid (so it stays "patrolling", not "outside").
    const { rows } = await pool.query<{ id: number; deviceId: string; ax: number; ay: number; bx: number; by: number }>(`
      SELECT w.id, w.device_id AS "deviceId", ST_X(a) AS ax, ST_Y(a) AS ay, ST_X(b) AS bx, ST_Y(b) AS by
      FROM workers w JOIN grids g ON g.id = w.grid_id,
           LATERAL (SELECT ST_PointOnSurface(g.geom) AS a) pa,
           LATERAL (SELECT ST_ClosestPoint(g.geom, ST_Translate(ST_PointOnSurface(g.geom), 0.004, 0.003)) AS b) pb
      WHERE w.active AND w.device_id IS NOT NULL AND g.kind = 'rural'
        AND ST_Distance(a::geography, b::geography) > 200
      ORDER BY w.id LIMIT 2`);
    [worker, control] = rows.map((r) => ({ id: r.id, deviceId: r.deviceId, a: [r.ax, r.ay] as [number, number], b: [r.bx, r.by] as [number, number] }));
    keys = await deviceKeys(pool, rows.map((r) => r.deviceId));

    session = await openBrowser({ width: 1600, height: 900 });
    page = session.page;
    // Only the patrol layer: the test is about its markers, and the page gets ready sooner.
    await page.goto(`${BASE}/screen?layers=patrols`);
    await page.waitForFunction(() => window.__gridcc?.isReady, undefined, { timeout: 240_000, polling: 500 });
  });

  afterAll(async () => {
    await session?.close();
    await pool?.end();
  });

  it('shows a posted position as the worker marker, then moves it with the next one', async () => {
    const t0 = new Date();
    await post(worker.deviceId, worker.a, t0);
    await waitForMarker(page, worker.id, worker.a);
    expect(await pickWorker(page, worker.a)).toContain(worker.id);
    const stats = (await page.evaluate(() => window.__gridcc!.layers())).find((l) => l.id === 'workers')!;
    expect(stats).toMatchObject({ visible: true, loaded: true });

    await post(worker.deviceId, worker.b, new Date(t0.getTime() + 20_000));
    await waitForMarker(page, worker.id, worker.b);
    expect(await pickWorker(page, worker.b)).toContain(worker.id);
    expect(await pickWorker(page, worker.a)).not.toContain(worker.id);

    // Its state comes with it: inside its own grid, moving → patrolling (state index 0).
    const t = (await page.evaluate(() => window.__gridcc!.workers())).find((x) => x[0] === worker.id)!;
    expect(t[4]).toBe(0);
    // And the freshness line says the feed is live.
    expect(await page.getByTestId('freshness').getAttribute('data-state')).toBe('live');
  });

  it('an older position does not move the marker back', async () => {
    // The server keeps it as history, but the live state stays at the newest position. A position
    // of another worker posted after it shows when the older one would have arrived.
    await post(worker.deviceId, worker.a, new Date(Date.now() - 60_000));
    await post(control.deviceId, control.a, new Date());
    await waitForMarker(page, control.id, control.a);
    const t = (await page.evaluate(() => window.__gridcc!.workers())).find((x) => x[0] === worker.id)!;
    expect([t[1], t[2]]).toEqual([expect.closeTo(worker.b[0], 6), expect.closeTo(worker.b[1], 6)]);
  });

  it('logged no errors', () => {
    expect(session.errors).toEqual([]);
  });
});
