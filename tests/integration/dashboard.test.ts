// Read endpoints behind the command-center screen: figures must equal what SQL counts directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';
import type { Kpis } from '../../server/schemas/kpis.js';
import type { Heatmap } from '../../server/schemas/incidents.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;
const TZ = 'Asia/Shanghai';
const dayStart = `date_trunc('day', now() AT TIME ZONE '${TZ}') AT TIME ZONE '${TZ}'`;

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const one = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0];

describe('GET /api/kpis', () => {
  it('every figure equals its SQL count', async () => {
    const k = (await api('/api/kpis')).json() as Kpis;
    expect(k.grids).toBe(1076);
    expect(k.workers.total).toBe(2911);
    const today = await one(`SELECT count(*)::int AS n,
        count(*) FILTER (WHERE source = 'hotline')::int AS hotline,
        count(*) FILTER (WHERE status IN ('resolved','rated','closed'))::int AS done,
        count(*) FILTER (WHERE status <> 'void')::int AS counted
      FROM incidents WHERE reported_at >= ${dayStart} AND reported_at <= now()`);
    expect(today.n).toBeGreaterThan(0);
    expect(k.incidentsToday.total).toBe(today.n);
    expect(Object.values(k.incidentsToday.byStatus).reduce((a, b) => a + b, 0)).toBe(today.n);
    expect(k.hotlineToday).toBe(today.hotline);
    expect(k.closureRateToday).toBeCloseTo(today.done / today.counted, 3);
    const overdue = await one(`SELECT count(*)::int AS n FROM incidents WHERE due_at < now() AND status IN ('reported','accepted','dispatched','in_progress','returned')`);
    expect(k.overdue).toBe(overdue.n);
    const top = await db.pool.query(`SELECT category, count(*)::int AS n FROM incidents WHERE reported_at >= ${dayStart} AND reported_at <= now() AND status <> 'void' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`);
    expect(k.topCategoriesToday).toEqual(top.rows.map((r) => ({ category: r.category, count: r.n })));
    const avg = await one(`SELECT avg(extract(epoch FROM resolved_at - reported_at)) / 3600 AS h FROM incidents
      WHERE reported_at >= now() - interval '30 days' AND reported_at <= now() AND resolved_at IS NOT NULL`);
    expect(k.avgHoursToClose30d).toBeCloseTo(avg.h, 1);
    const visited = await one(`SELECT count(DISTINCT grid_id)::int AS n FROM patrol_visits WHERE day = (now() AT TIME ZONE '${TZ}')::date`);
    expect(k.gridsVisitedToday).toBe(visited.n);
  });
});

describe('GET /api/incidents/heatmap', () => {
  it('bins add up to the incidents in the window and filters apply', async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
    const h = (await api(`/api/incidents/heatmap?zoom=9&${q}`)).json() as Heatmap;
    const n = await one('SELECT count(*)::int AS n FROM incidents WHERE reported_at >= $1 AND reported_at < $2', [from, to]);
    expect(h.total).toBe(n.n);
    expect(h.bins.reduce((s, b) => s + b[2], 0)).toBe(n.n);
    expect(h.bins.length).toBeGreaterThan(50);
    for (const [lon, lat] of h.bins) {
      expect(lon).toBeGreaterThan(118.2);
      expect(lon).toBeLessThan(119.2);
      expect(lat).toBeGreaterThan(34.2);
      expect(lat).toBeLessThan(35);
    }
    const fine = (await api(`/api/incidents/heatmap?zoom=13&${q}`)).json() as Heatmap;
    expect(fine.cell).toBeLessThan(h.cell);
    const hot = (await api(`/api/incidents/heatmap?zoom=9&${q}&source=hotline&status=open`)).json() as Heatmap;
    const hn = await one(`SELECT count(*)::int AS n FROM incidents WHERE reported_at >= $1 AND reported_at < $2 AND source = 'hotline'
      AND status IN ('reported','accepted','dispatched','in_progress','returned','resolved','rated')`, [from, to]);
    expect(hot.total).toBe(hn.n);
  });

  it.each([
    ['source=fax', 'source'], ['status=lost', 'status'], ['from=yesterday', 'from'], ['zoom=40', 'zoom'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'], ['township=12', 'township'], ['bbox=1,2,3', 'bbox'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const res = await api(`/api/incidents/heatmap?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });
});

describe('incident points, details and the ticker', () => {
  it('points in a box, newest first, with their count', async () => {
    const box = '118.70,34.48,118.82,34.56';
    const to = new Date();
    const from = new Date(to.getTime() - 7 * 86_400_000);
    const res = await api(`/api/incidents?bbox=${box}&from=${from.toISOString()}&to=${to.toISOString()}&limit=100`);
    expect(res.statusCode).toBe(200);
    const fc = res.json();
    const n = await one(`SELECT count(*)::int AS n FROM incidents WHERE geom && ST_MakeEnvelope(118.70,34.48,118.82,34.56,4326) AND reported_at >= $1 AND reported_at < $2`, [from, to]);
    expect(fc.numberMatched).toBe(n.n);
    expect(fc.features.length).toBe(Math.min(100, n.n));
    expect(fc.truncated).toBe(n.n > 100);
    const times = fc.features.map((f: { properties: { reportedAt: string } }) => f.properties.reportedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const detail = (await api(`/api/incidents/${fc.features[0].id}`)).json();
    expect(detail).toMatchObject({ id: fc.features[0].id, code: fc.features[0].properties.code });
    expect(detail.grid).not.toBeNull();
    expect(detail.township).toBeTruthy();
  });

  it('unknown incident is a 404; a bad id a 400', async () => {
    expect((await api('/api/incidents/999999999')).statusCode).toBe(404);
    expect((await api('/api/incidents/abc')).statusCode).toBe(400);
  });

  it('the ticker lists urgent incidents newest first', async () => {
    const list = (await api('/api/incidents/recent?priority=1&limit=10')).json();
    for (const i of list) expect(i.priority).toBe(1);
    const times = list.map((i: { reportedAt: string }) => i.reportedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe('cameras, base map, search, grid detail and indicators', () => {
  it('serves every camera with kind, status, heading and fov', async () => {
    const fc = (await api('/api/cameras')).json();
    const n = await one('SELECT count(*)::int AS n FROM cameras');
    expect(fc.features).toHaveLength(n.n);
    expect(n.n).toBeGreaterThanOrEqual(3000);
    const kinds = new Set(fc.features.map((f: { properties: { kind: string } }) => f.properties.kind));
    expect(kinds).toEqual(new Set(['xueliang', 'cuncuntong', 'public']));
  });

  it('serves roads and water for the base map', async () => {
    const fc = (await api('/api/basemap')).json();
    const kinds = new Set(fc.features.map((f: { properties: { kind: string } }) => f.properties.kind));
    expect(kinds).toEqual(new Set(['road', 'water']));
  });

  it('finds townships, villages and grids by name or code', async () => {
    const byName = (await api(`/api/search?q=${encodeURIComponent('牛山')}`)).json();
    expect(byName[0]).toMatchObject({ kind: 'township', name: '牛山街道' });
    const code = (await one(`SELECT code FROM grids ORDER BY code LIMIT 1`)).code;
    const byCode = (await api(`/api/search?q=${code}`)).json();
    expect(byCode[0]).toMatchObject({ kind: 'grid', code });
    expect(byCode[0].bbox).toHaveLength(4);
    const none = (await api(`/api/search?q=${encodeURIComponent('%_')}`)).json();
    expect(none).toEqual([]);
    expect((await api('/api/search?q=')).statusCode).toBe(400);
  });

  it('grid detail has its workers, today\'s incidents and patrol coverage', async () => {
    const g = await one(`SELECT g.id, g.code, count(w.id)::int AS workers FROM grids g JOIN workers w ON w.grid_id = g.id GROUP BY g.id ORDER BY g.code LIMIT 1`);
    const d = (await api(`/api/grids/${g.id}`)).json();
    expect(d).toMatchObject({ id: g.id, code: g.code });
    expect(d.workers).toHaveLength(g.workers);
    expect(d.township.name).toBeTruthy();
    expect(d.patrolToday).toHaveProperty('visited');
    expect((await api('/api/grids/99999999')).statusCode).toBe(404);
  });

  it('indicators give a value for every grid', async () => {
    for (const indicator of ['open_incidents', 'incidents', 'coverage', 'workers_on_duty']) {
      const r = (await api(`/api/grids/indicators?indicator=${indicator}`)).json();
      expect(Object.keys(r.values)).toHaveLength(1076);
      expect(r.max).toBeGreaterThanOrEqual(0);
    }
    const open = (await api('/api/grids/indicators?indicator=open_incidents')).json();
    const total = await one(`SELECT count(*)::int AS n FROM incidents WHERE status IN ('reported','accepted','dispatched','in_progress','returned') AND grid_id IS NOT NULL`);
    expect(Object.values(open.values as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total.n);
    expect((await api('/api/grids/indicators?indicator=mood')).statusCode).toBe(400);
  });
});
