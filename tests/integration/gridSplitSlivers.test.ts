// Splitting a grid whose cut crosses a long edge: the parts share the old boundary to 1e-15°, but
// measured as a geography the sliver between them and the old grid reaches a square metre or more.
// The rules measure slivers in the plane of the coordinates, so such a split is accepted, and the
// coverage check stays empty. (Real PostGIS, a database of its own: it edits the coverage.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';
import { sliverM2 } from '../../server/domain/gridEdits.js';

let db: Database;
let app: FastifyInstance;
let api: Inject;

beforeAll(async () => {
  ({ db } = await seededDatabase('gridcc_edit_split_test', 2000));
  app = await buildApp({ db, live: { timers: false }, logger: false });
  api = authorisedInject(app, (await userWithToken(db.pool, 'editor')).token);
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('split along a line across long edges', () => {
  it('is not refused for a geodesic sliver of zero planar area, and merging back gives the area back', async () => {
    // A grid that a horizontal line through its middle cuts in two where the exact parts, as
    // geographies, leave over 1 m² of "gap" against the old grid (what the no_gap rule used to see).
    const { rows: [g] } = await db.pool.query(`
      WITH c AS (
        SELECT g.id, g.version, g.geom, ST_SetSRID(ST_MakeLine(
          ST_MakePoint(ST_XMin(g.geom) - 0.002, ST_Y((ST_MaximumInscribedCircle(g.geom)).center)),
          ST_MakePoint(ST_XMax(g.geom) + 0.002, ST_Y((ST_MaximumInscribedCircle(g.geom)).center))), 4326) AS line
        FROM grids g WHERE ST_Area(g.geom::geography) > 300000)
      SELECT c.id, c.version, ST_AsGeoJSON(c.line, 9)::json AS line, ST_Area(c.geom::geography) AS area,
             ST_Area(ST_Difference(c.geom, ST_Union(d.geom))::geography) AS geodesic_sliver
      FROM c CROSS JOIN LATERAL ST_Dump(ST_Split(c.geom, c.line)) d
      GROUP BY c.id, c.version, c.line, c.geom HAVING count(*) = 2 AND ST_Area(ST_Difference(c.geom, ST_Union(d.geom))::geography) > 1
      ORDER BY c.id LIMIT 1`);
    expect(g, 'a grid with a geodesic sliver over 1 m²').toBeTruthy();

    const split = await api({ method: 'POST', url: `/api/grids/${g.id}/split`, payload: { baseVersion: g.version, line: g.line, reason: '沿长边切分' } });
    expect(split.statusCode, split.body.slice(0, 300)).toBe(200);
    const parts = split.json().grids.filter((x: { change: string }) => x.change === 'created');
    expect(parts).toHaveLength(2);
    let cov = (await api('/api/grids/coverage')).json();
    expect(cov.gaps).toEqual([]);
    expect(cov.overlaps).toEqual([]);

    const merge = await api({
      method: 'POST', url: '/api/grids/merge',
      payload: { grids: parts.map((p: { id: number; toVersion: number }) => ({ id: p.id, baseVersion: p.toVersion })), reason: '合并回去' },
    });
    expect(merge.statusCode, merge.body.slice(0, 300)).toBe(200);
    // Back to the original shape: no more than 1 m² differs anywhere (in the plane of the
    // coordinates; as geographies, the cut points left on the old edges still count a sliver).
    const kept = merge.json().grids.find((x: { change: string }) => x.change === 'changed');
    const { rows: [d] } = await db.pool.query(`
      SELECT ${sliverM2('ST_SymDifference(g.geom, o.geom)')} AS m2 FROM grids g,
        (SELECT geom FROM grid_versions WHERE grid_id = $2 ORDER BY version DESC LIMIT 1) o WHERE g.id = $1`, [kept.id, g.id]);
    expect(d.m2).toBeLessThan(1);
    expect(Math.abs(kept.areaAfterM2 - g.area) / g.area).toBeLessThan(1e-5);
    cov = (await api('/api/grids/coverage')).json();
    expect(cov.gaps).toEqual([]);
    expect(cov.overlaps).toEqual([]);
  });

  it('still refuses a real gap of a few square metres', async () => {
    // A vertex shared by two grids, pulled back from one of them only by ~3 m.
    const { rows: [v] } = await db.pool.query(`
      WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
      pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g)
      SELECT ST_X(p) AS x, ST_Y(p) AS y, array_agg(DISTINCT id ORDER BY id) AS grids
      FROM pts, c WHERE NOT ST_DWithin(p, c.b, 0.001) GROUP BY p HAVING count(DISTINCT id) = 2 ORDER BY ST_X(p) LIMIT 1`);
    const { rows: [c] } = await db.pool.query(`
      SELECT g.id, g.version AS "baseVersion",
        ST_AsGeoJSON(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY(
          SELECT CASE WHEN ST_X(d.geom) = $2 AND ST_Y(d.geom) = $3 THEN ST_SetSRID(ST_MakePoint($2 + 0.00003, $3 + 0.00003), 4326) ELSE d.geom END
          FROM ST_DumpPoints(ST_ExteriorRing(g.geom)) d ORDER BY d.path))), 4326), 9)::json AS geometry
      FROM grids g WHERE g.id = $1`, [v.grids[0], v.x, v.y]);
    const res = await api({ method: 'POST', url: '/api/grids/changes', payload: { reason: '只动一侧', dryRun: true, changes: [c] } });
    expect(res.statusCode).toBe(422);
    const rules = res.json().violations.map((x: { rule: string }) => x.rule);
    expect(rules.some((r: string) => r === 'no_gap' || r === 'no_overlap')).toBe(true);
  });
});
