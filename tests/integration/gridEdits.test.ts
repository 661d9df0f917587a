// Grid boundary editing on the real PostGIS, in a database of its own (edits change the coverage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;
let editor: Record<string, string>;
let viewer: Record<string, string>;

const one = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0];
async function bearer(role: 'editor' | 'viewer') {
  const u = await createUser(db.pool, role);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: TEST_PASSWORD, bearer: true } });
  return { authorization: `Bearer ${res.json().token}` };
}
const post = (url: string, payload: object, headers = editor) => api({ method: 'POST', url, payload, headers });
const fingerprint = async () => (await one(`SELECT md5(string_agg(id || ':' || version || ':' || ST_AsEWKB(geom)::text, ',' ORDER BY id)) AS h, count(*)::int AS n FROM grids`));
const coverage = async () => (await api('/api/grids/coverage')).json();

interface SharedVertex { x: number; y: number; grids: number[] }

/** An interior vertex shared by at least `n` grids, optionally skipping some grids. */
async function sharedVertex(n = 3, offset = 0, avoid: number[] = []): Promise<SharedVertex> {
  const { rows } = await db.pool.query(`
    WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
    pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g WHERE NOT g.id = ANY($3::int[]))
    SELECT ST_X(p) AS x, ST_Y(p) AS y, array_agg(DISTINCT id ORDER BY id) AS grids
    FROM pts, c WHERE NOT ST_DWithin(p, c.b, 0.001)
    GROUP BY ST_X(p), ST_Y(p), p HAVING count(DISTINCT id) >= $1
    ORDER BY ST_X(p), ST_Y(p) OFFSET $2 LIMIT 1`, [n, offset, avoid]);
  return rows[0];
}

/** Each grid with the vertex moved by (dx, dy) degrees, as change set entries. */
async function moveVertex(v: SharedVertex, dx: number, dy: number, only?: number[]) {
  const ids = only ?? v.grids;
  const { rows } = await db.pool.query(`
    SELECT g.id, g.version AS "baseVersion",
      ST_AsGeoJSON(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY(
        SELECT CASE WHEN ST_X(d.geom) = $2 AND ST_Y(d.geom) = $3 THEN ST_SetSRID(ST_MakePoint($2 + $4, $3 + $5), 4326) ELSE d.geom END
        FROM ST_DumpPoints(ST_ExteriorRing(g.geom)) d ORDER BY d.path))), 4326), 9)::json AS geometry
    FROM grids g WHERE g.id = ANY($1::int[]) ORDER BY g.id`, [ids, v.x, v.y, dx, dy]);
  return rows;
}

beforeAll(async () => {
  ({ db } = await seededDatabase('gridcc_edit_test', 2000));
  app = await buildApp({ db, live: { timers: false }, logger: process.env.DEBUG_TESTS ? { level: 'error' } : false });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
  editor = await bearer('editor');
  viewer = await bearer('viewer');
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('saving a change set', () => {
  it('moves a vertex shared by several grids: all change together, coverage stays whole, history kept', async () => {
    const v = await sharedVertex(3);
    const changes = await moveVertex(v, 0.0002, 0.0001);
    const dry = await post('/api/grids/changes', { reason: '测试：移动共享节点', changes, dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().changeSetId).toBeNull();
    expect(dry.json().grids.map((g: { areaAfterM2: number; areaBeforeM2: number }) => g.areaAfterM2 - g.areaBeforeM2).reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(0, 0);
    const res = await post('/api/grids/changes', { reason: '测试：移动共享节点', changes });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.changeSetId).toBeGreaterThan(0);
    expect(body.grids).toHaveLength(v.grids.length);
    for (const g of body.grids) expect(g.toVersion).toBe(g.fromVersion + 1);
    const cov = await coverage();
    expect(cov.gaps).toEqual([]);
    expect(cov.overlaps).toEqual([]);
    const history = (await api(`/api/grids/${v.grids[0]}/history`)).json();
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history.at(-1)).toMatchObject({ reason: '测试：移动共享节点', validTo: null, changeSetId: body.changeSetId });
    expect(history.at(-2).validTo).not.toBeNull();
  });

  it('the same edit from 7-decimal GeoJSON (as a browser sends it) is snapped onto the neighbours', async () => {
    const v = await sharedVertex(3, 5);
    const fc = (await api('/api/grids/coverage.geojson')).json();
    const changes = fc.features.filter((f: { id: number }) => v.grids.includes(f.id)).map((f: { id: number; properties: { version: number }; geometry: { coordinates: number[][][] } }) => ({
      id: f.id, baseVersion: f.properties.version,
      geometry: { type: 'Polygon', coordinates: f.geometry.coordinates.map((ring) => ring.map(([x, y]) => (Math.abs(x - v.x) < 1e-7 && Math.abs(y - v.y) < 1e-7 ? [x - 0.00015, y + 0.0001] : [x, y]))) },
    }));
    const res = await post('/api/grids/changes', { reason: '浏览器编辑', changes });
    expect(res.statusCode).toBe(200);
    const cov = await coverage();
    expect(cov.overlaps).toEqual([]);
    expect(cov.gaps).toEqual([]);
  });
});

describe('each rule refuses its broken geometry with a 422 and changes nothing', () => {
  it.each([
    ['valid_geometry', 'a bow-tie'],
    ['inside_county', 'a grid poking out of the county'],
    ['no_overlap', 'a vertex moved into the neighbour without it'],
    ['no_gap', 'a vertex pulled back from the neighbour without it'],
    ['min_area', 'a grid shrunk to a speck'],
    ['min_width', 'a grid thinned to a 4 m strip'],
    ['inside_village', "a vertex moved into another village's grid without editing it"],
  ])('%s: %s', async (rule) => {
    const before = await fingerprint();
    let changes: unknown[];
    if (rule === 'valid_geometry') {
      const g = await one(`SELECT id, version, ST_XMin(geom) x0, ST_YMin(geom) y0, ST_XMax(geom) x1, ST_YMax(geom) y1 FROM grids ORDER BY id OFFSET 10 LIMIT 1`);
      changes = [{ id: g.id, baseVersion: g.version, geometry: { type: 'Polygon', coordinates: [[[g.x0, g.y0], [g.x1, g.y1], [g.x1, g.y0], [g.x0, g.y1], [g.x0, g.y0]]] } }];
    } else if (rule === 'inside_county') {
      const g = await one(`
        SELECT g.id, g.version, ST_AsGeoJSON(ST_Union(g.geom, ST_Buffer(ST_ClosestPoint(ST_Boundary(c.geom), ST_PointOnSurface(g.geom)), 0.004)), 9)::json AS geometry
        FROM grids g, regions c WHERE c.kind = 'county' AND ST_Intersects(g.geom, ST_Boundary(c.geom)) ORDER BY g.id LIMIT 1`);
      changes = [{ id: g.id, baseVersion: g.version, geometry: g.geometry }];
    } else if (rule === 'min_area') {
      const pair = await one(`
        SELECT a.id AS a, a.version AS av, b.id AS b, b.version AS bv,
               ST_AsGeoJSON(ST_Buffer(ST_PointOnSurface(a.geom), 0.0002, 4), 9)::json AS speck,
               ST_AsGeoJSON(ST_Union(b.geom, ST_Difference(a.geom, ST_Buffer(ST_PointOnSurface(a.geom), 0.0002, 4))), 9)::json AS rest
        FROM grids a JOIN grids b ON a.id < b.id AND a.village_id = b.village_id AND ST_Relate(a.geom, b.geom, '****1****')
        ORDER BY a.id LIMIT 1`);
      changes = [{ id: pair.a, baseVersion: pair.av, geometry: pair.speck }, { id: pair.b, baseVersion: pair.bv, geometry: pair.rest }];
    } else if (rule === 'min_width') {
      // a strip 4 m wide and several hundred metres long inside the grid; the rest goes to a neighbour
      const pair = await one(`
        WITH a AS (SELECT a.id, a.version, a.geom, b.id AS b, b.version AS bv, b.geom AS bgeom, ST_PointOnSurface(a.geom) AS p
                   FROM grids a JOIN grids b ON a.id < b.id AND a.village_id = b.village_id AND ST_Relate(a.geom, b.geom, '****1****')
                   ORDER BY a.id LIMIT 1),
        s AS (SELECT (SELECT d.geom FROM ST_Dump(ST_Intersection(ST_Buffer(a.geom, -0.0005),
                ST_Buffer(ST_MakeLine(ST_Translate(a.p, -0.05, 0), ST_Translate(a.p, 0.05, 0)), 0.00002, 'endcap=flat'))) d
                ORDER BY ST_Area(d.geom) DESC LIMIT 1) AS strip FROM a)
        SELECT a.id AS a, a.version AS av, a.b, a.bv, ST_AsGeoJSON(s.strip, 9)::json AS strip,
               ST_AsGeoJSON(ST_Union(a.bgeom, ST_Difference(a.geom, s.strip)), 9)::json AS rest
        FROM a, s`);
      changes = [{ id: pair.a, baseVersion: pair.av, geometry: pair.strip }, { id: pair.b, baseVersion: pair.bv, geometry: pair.rest }];
    } else if (rule === 'inside_village') {
      // a vertex between grids of two villages, moved into the other village's grid, which is left as it is
      const v = await one(`
        WITH pts AS (SELECT g.id, g.village_id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g),
        c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county')
        SELECT ST_X(p) AS x, ST_Y(p) AS y, array_agg(id ORDER BY id) AS grids
        FROM pts, c WHERE NOT ST_DWithin(p, c.b, 0.001)
        GROUP BY ST_X(p), ST_Y(p), p HAVING count(*) = 2 AND count(DISTINCT village_id) = 2
        ORDER BY ST_X(p), ST_Y(p) LIMIT 1`);
      const into = await one(`SELECT ST_X(ST_PointOnSurface(geom)) x, ST_Y(ST_PointOnSurface(geom)) y FROM grids WHERE id = $1`, [v.grids[1]]);
      changes = await moveVertex(v, (into.x - v.x) * 0.15, (into.y - v.y) * 0.15, [v.grids[0]]);
    } else {
      const v = await sharedVertex(2, 20);
      // move towards / away from the first grid's interior, changing only that grid
      const c = await one(`SELECT ST_X(ST_PointOnSurface(geom)) x, ST_Y(ST_PointOnSurface(geom)) y FROM grids WHERE id = $1`, [v.grids[0]]);
      const s = rule === 'no_gap' ? 0.15 : -0.15;
      changes = await moveVertex(v, (c.x - v.x) * s, (c.y - v.y) * s, [v.grids[0]]);
    }
    const res = await post('/api/grids/changes', { reason: '违规测试', changes });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.violations.map((x: { rule: string }) => x.rule)).toContain(rule);
    const v = body.violations.find((x: { rule: string }) => x.rule === rule);
    expect(v.message).toBeTruthy();
    if (rule !== 'no_gap') expect(v.gridId).toBeGreaterThan(0);
    expect(v.where?.type).toBeTruthy();
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses input that is not GeoJSON before PostGIS sees it (400 naming the field)', async () => {
    const g = await one(`SELECT id, version FROM grids ORDER BY id LIMIT 1`);
    const cases = [
      [{ type: 'Polygon', coordinates: [[[118, 34], [118.1, 34], [118.1, 34.1], [118, 34.2]]] }, /not closed/],
      [{ type: 'Polygon', coordinates: [[[118, 34], [190, 34], [118.1, 34.1], [118, 34]]] }, /longitude 190/],
      [{ type: 'Polygon', coordinates: [[[118, 34], [118, 34]]] }, /fewer than 4|at least 4/],
      [{ type: 'Point', coordinates: [118, 34] }, /./],
    ] as const;
    for (const [geometry, reason] of cases) {
      const res = await post('/api/grids/changes', { reason: '无效输入', changes: [{ id: g.id, baseVersion: g.version, geometry }] });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(reason);
    }
  });
});

describe('concurrency', () => {
  it('two editors saving overlapping change sets from the same versions: one wins, the other gets 409 with the current geometries', async () => {
    const v = await sharedVertex(3, 40);
    const a = await moveVertex(v, 0.0001, 0);
    const b = await moveVertex(v, 0, 0.0001);
    const [r1, r2] = await Promise.all([
      post('/api/grids/changes', { reason: '编辑A', changes: a }),
      post('/api/grids/changes', { reason: '编辑B', changes: b }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort(), `${r1.body.slice(0, 300)} / ${r2.body.slice(0, 300)}`).toEqual([200, 409]);
    const lost = r1.statusCode === 409 ? r1 : r2;
    expect(lost.json().current.map((g: { id: number }) => g.id).sort()).toEqual([...v.grids].sort());
    expect((await coverage()).overlaps).toEqual([]);
  });

  it('neighbours edited at the same time never overlap', async () => {
    // Two change sets that each push into the same third grid without including it.
    const v = await sharedVertex(3, 60);
    const [x, y] = v.grids;
    const c = await one(`SELECT ST_X(ST_PointOnSurface(geom)) x, ST_Y(ST_PointOnSurface(geom)) y FROM grids WHERE id = $1`, [v.grids[2]]);
    const toward = (s: number) => [(c.x - v.x) * s, (c.y - v.y) * s] as const;
    const a = await moveVertex(v, ...toward(0.2), [x]);
    const b = await moveVertex(v, ...toward(0.2), [y]);
    const [r1, r2] = await Promise.all([post('/api/grids/changes', { reason: '编辑A', changes: a }), post('/api/grids/changes', { reason: '编辑B', changes: b })]);
    expect(r1.statusCode).not.toBe(200);
    expect(r2.statusCode).not.toBe(200);
    expect((await coverage()).overlaps).toEqual([]);
  });
});

describe('operations', () => {
  it('split then merge gives back the original area; workers follow the choice', async () => {
    const g = await one(`
      SELECT g.id, g.version, ST_Area(g.geom::geography) AS area, ST_XMin(g.geom) x0, ST_XMax(g.geom) x1, ST_Y(ST_Centroid(g.geom)) cy,
             (SELECT array_agg(id ORDER BY id) FROM workers WHERE grid_id = g.id) AS workers
      FROM grids g WHERE (SELECT count(*) FROM workers WHERE grid_id = g.id) >= 2 AND ST_Area(g.geom::geography) > 200000
      ORDER BY g.id LIMIT 1`);
    const line = { type: 'LineString', coordinates: [[g.x0 - 0.01, g.cy], [g.x1 + 0.01, g.cy]] };
    const split = await post(`/api/grids/${g.id}/split`, { baseVersion: g.version, line, reason: '拆分测试', workers: { [g.workers[1]]: 1 } });
    expect(split.statusCode, split.body.slice(0, 400)).toBe(200);
    const parts = split.json().grids.filter((x: { change: string }) => x.change === 'created');
    expect(parts).toHaveLength(2);
    expect(split.json().grids.find((x: { id: number }) => x.id === g.id).change).toBe('retired');
    const total = parts.reduce((s: number, p: { areaAfterM2: number }) => s + p.areaAfterM2, 0);
    expect(Math.abs(total - g.area)).toBeLessThan(1);
    const { rows: moved } = await db.pool.query('SELECT grid_id FROM workers WHERE id = $1', [g.workers[1]]);
    expect(moved[0].grid_id).toBe(parts[1].id);
    // history of the retired grid is kept; old incidents still point at it
    const hist = (await api(`/api/grids/${g.id}/history`)).json();
    expect(hist.at(-1).validTo).not.toBeNull();

    const merge = await post('/api/grids/merge', { grids: parts.map((p: { id: number; toVersion: number }) => ({ id: p.id, baseVersion: p.toVersion })), reason: '合并测试' });
    expect(merge.statusCode).toBe(200);
    const kept = merge.json().grids.find((x: { change: string }) => x.change === 'changed');
    expect(Math.abs(kept.areaAfterM2 - g.area)).toBeLessThan(1);
    expect((await one('SELECT count(*)::int AS n FROM workers WHERE grid_id = $1', [kept.id])).n).toBe(g.workers.length);
    const cov = await coverage();
    expect(cov.gaps).toEqual([]);
    expect(cov.overlaps).toEqual([]);
  });

  it('merging grids of different villages or not adjacent is refused', async () => {
    const p = await one(`SELECT a.id a, a.version av, b.id b, b.version bv FROM grids a JOIN grids b ON a.village_id <> b.village_id AND a.id < b.id ORDER BY a.id LIMIT 1`);
    const res = await post('/api/grids/merge', { grids: [{ id: p.a, baseVersion: p.av }, { id: p.b, baseVersion: p.bv }], reason: '跨村合并' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/same village/);
  });

  it('reverting a change set restores the old geometries', async () => {
    const v = await sharedVertex(3, 80);
    const { rows: original } = await db.pool.query('SELECT id, ST_AsEWKB(geom)::text AS g FROM grids WHERE id = ANY($1::int[]) ORDER BY id', [v.grids]);
    const res = await post('/api/grids/changes', { reason: '将被撤销', changes: await moveVertex(v, 0.0003, -0.0002) });
    expect(res.statusCode).toBe(200);
    const revert = await post(`/api/grids/changes/${res.json().changeSetId}/revert`, { reason: '撤销' });
    expect(revert.statusCode).toBe(200);
    const { rows: now } = await db.pool.query('SELECT id, ST_AsEWKB(geom)::text AS g FROM grids WHERE id = ANY($1::int[]) ORDER BY id', [v.grids]);
    expect(now).toEqual(original);
  });

  it('a grid moved to a neighbouring village takes its code and the villages follow', async () => {
    const p = await one(`
      SELECT a.id, a.version, nv.code AS village, nv.id AS village_id, a.village_id AS old_village
      FROM grids a JOIN grids b ON a.village_id <> b.village_id AND ST_Relate(a.geom, b.geom, '****1****')
      JOIN regions nv ON nv.id = b.village_id
      WHERE (SELECT count(*) FROM grids WHERE village_id = a.village_id) > 1
      ORDER BY a.id LIMIT 1`);
    const res = await post(`/api/grids/${p.id}/reassign`, { baseVersion: p.version, villageCode: p.village, reason: '调整所属村' });
    expect(res.statusCode).toBe(200);
    expect(res.json().grids[0].code.startsWith(`${p.village}-`)).toBe(true);
    const inside = await one(`SELECT ST_Area(ST_Difference(g.geom, v.geom)::geography) AS outside FROM grids g JOIN regions v ON v.id = $2 WHERE g.id = $1`, [p.id, p.village_id]);
    expect(inside.outside).toBeLessThan(1);
  });

  it('a new grid drawn over others is cut out of them', async () => {
    // a small disc around a node shared by three grids: each of them gives up a wedge
    const v = await sharedVertex(3, 500);
    const g = await one(`SELECT ST_AsGeoJSON(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.0005, 8), 9)::json AS geometry, r.code AS village
      FROM grids JOIN regions r ON r.id = grids.village_id WHERE grids.id = $3`, [v.x, v.y, v.grids[0]]);
    const res = await post('/api/grids', { geometry: g.geometry, villageCode: g.village, reason: '新建网格' });
    expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
    const grids = res.json().grids;
    expect(grids.filter((x: { change: string }) => x.change === 'created')).toHaveLength(1);
    expect(grids.filter((x: { change: string }) => x.change === 'changed').map((x: { id: number }) => x.id).sort()).toEqual([...v.grids].sort());
    const cov = await coverage();
    expect(cov.gaps).toEqual([]);
    expect(cov.overlaps).toEqual([]);
  });

  it('the coverage check stays empty after a long random sequence of valid edits', async () => {
    let accepted = 0;
    for (let i = 0; i < 25; i++) {
      const v = await sharedVertex(2, 100 + i * 37);
      if (!v) continue;
      const dx = (Math.sin(i * 12.9898) * 0.0003);
      const dy = (Math.cos(i * 78.233) * 0.0003);
      const res = await post('/api/grids/changes', { reason: `随机编辑 ${i}`, changes: await moveVertex(v, dx, dy) });
      expect([200, 422]).toContain(res.statusCode);
      if (res.statusCode === 200) accepted++;
    }
    expect(accepted).toBeGreaterThan(10);
    const cov = await coverage();
    expect(cov.gaps).toEqual([]);
    expect(cov.overlaps).toEqual([]);
    expect(Math.abs(cov.coveredAreaM2 - cov.countyAreaM2) / cov.countyAreaM2).toBeLessThan(1e-4);
  });
});

describe('GeoJSON export and import for work in QGIS', () => {
  it('an edited export imports as one validated change set; a dry run reports it and saves nothing', async () => {
    const v = await sharedVertex(3, 400);
    const fc = (await api('/api/grids/coverage.geojson')).json();
    expect(fc.features.length).toBeGreaterThan(1000);
    for (const f of fc.features as Array<{ id: number; geometry: { coordinates: number[][][] } }>) {
      if (!v.grids.includes(f.id)) continue;
      f.geometry.coordinates = f.geometry.coordinates.map((ring) => ring.map(([x, y]) => (Math.abs(x - v.x) < 1e-7 && Math.abs(y - v.y) < 1e-7 ? [x + 0.0001, y] : [x, y])));
    }
    const before = await fingerprint();
    const dry = await api({ method: 'POST', url: `/api/grids/import?dryRun=true&reason=${encodeURIComponent('QGIS 导入')}`, payload: fc, headers: editor });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().changeSetId).toBeNull();
    expect(dry.json().grids.map((g: { id: number }) => g.id).sort()).toEqual([...v.grids].sort());
    expect(await fingerprint()).toEqual(before);
    const real = await api({ method: 'POST', url: `/api/grids/import?dryRun=false&reason=${encodeURIComponent('QGIS 导入')}`, payload: fc, headers: editor });
    expect(real.statusCode).toBe(200);
    expect(real.json().changeSetId).toBeGreaterThan(0);
    const cov = await coverage();
    expect(cov.gaps).toEqual([]);
    expect(cov.overlaps).toEqual([]);
  });
});

describe('who may edit', () => {
  it('needs an editor: 401 without login, 403 for a viewer', async () => {
    const g = await one(`SELECT id, version, ST_AsGeoJSON(geom)::json AS geometry FROM grids ORDER BY id LIMIT 1`);
    const body = { reason: '无权', changes: [{ id: g.id, baseVersion: g.version, geometry: g.geometry }] };
    expect((await app.inject({ method: 'POST', url: '/api/grids/changes', payload: body })).statusCode).toBe(401);
    expect((await post('/api/grids/changes', body, viewer)).statusCode).toBe(403);
  });
});

// Last: its split changes which grids the tests above would pick.
describe('statistics after an edit', () => {
  it('statistics for a past period keep the grid an incident happened in, even once that grid is split away', async () => {
    // the grid with the most incidents in the last full month (local days), then split in two
    const m = await one(`SELECT to_char(date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '1 month', 'YYYY-MM-DD') AS d`);
    const period = `period=month&date=${m.d}&by=grid`;
    const before = (await api(`/api/reports?${period}`)).json();
    // the busiest grid still in the coverage that a west–east line through its centroid cuts in two
    const ranked = before.rows.filter((r: { reported: number }) => r.reported > 0)
      .sort((a: { reported: number }, b: { reported: number }) => b.reported - a.reported);
    const g = await one(`
      SELECT id, version, ST_XMin(geom) x0, ST_XMax(geom) x1, ST_Y(ST_Centroid(geom)) cy FROM grids
      WHERE id = ANY($1::int[]) AND ST_NumGeometries(ST_Split(geom, ST_MakeLine(
        ST_SetSRID(ST_MakePoint(ST_XMin(geom) - 0.01, ST_Y(ST_Centroid(geom))), 4326),
        ST_SetSRID(ST_MakePoint(ST_XMax(geom) + 0.01, ST_Y(ST_Centroid(geom))), 4326)))) = 2
      ORDER BY array_position($1::int[], id) LIMIT 1`, [ranked.map((r: { unit: { id: number } }) => r.unit.id)]);
    const busiest = ranked.find((r: { unit: { id: number } }) => r.unit.id === g.id);
    const line = { type: 'LineString', coordinates: [[g.x0 - 0.01, g.cy], [g.x1 + 0.01, g.cy]] };
    const workers = (await db.pool.query('SELECT id FROM workers WHERE grid_id = $1', [g.id])).rows;
    const split = await post(`/api/grids/${g.id}/split`, { baseVersion: g.version, line, reason: '统计口径测试', workers: Object.fromEntries(workers.map((w) => [w.id, 0])) });
    expect(split.statusCode, split.body.slice(0, 300)).toBe(200);
    const after = (await api(`/api/reports?${period}`)).json();
    const row = after.rows.find((r: { unit: { id: number } }) => r.unit.id === g.id);
    expect(row).toMatchObject({ reported: busiest.reported, unit: { code: busiest.unit.code } });
  });
});
