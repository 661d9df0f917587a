// Writes the county, townships, villages and grids. Grid outlines come from JS (outlines.ts) already
// gap-free; PostGIS clips them to the real county outline, merges the few fragments clipping leaves
// behind, and derives villages = ∪ grids and townships = ∪ villages so nesting holds by construction.
// All coordinates are on a 1e-7° grid and every overlay uses that grid size, so the pieces computed
// separately for two neighbours meet exactly.
import type pg from 'pg';
import type { Layout } from './layout.js';
import { gridOutlines } from './outlines.js';
import { round7, unproject, type XY } from './geo.js';

export const GRID_SIZE = 1e-7;

export interface GridRow {
  id: number;
  idx: number;
  code: string;
  name: string;
  kind: 'urban' | 'rural';
  villageIdx: number;
  townshipIdx: number;
  villageId: number;
  townshipId: number;
}

export interface RegionsResult {
  countyId: number;
  townshipIds: number[];
  villageIds: number[];
  grids: GridRow[];
  /** Final grid polygons (WGS84 rings, outer first) as stored, for sampling points inside grids. */
  gridPolygons: XY[][][];
  stats: { vertexAvg: number; vertexMax: number; fragmentsMerged: number; reverted: number };
}

function ringWkt(ring: XY[]): string | null {
  const pts: XY[] = [];
  for (const [x, y] of ring) {
    const [lon, lat] = unproject(x, y);
    const p: XY = [round7(lon), round7(lat)];
    const last = pts[pts.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
  }
  if (pts.length && (pts[0][0] !== pts[pts.length - 1][0] || pts[0][1] !== pts[pts.length - 1][1])) pts.push(pts[0]);
  if (pts.length < 4) return null;
  return `(${pts.map((p) => `${p[0]} ${p[1]}`).join(',')})`;
}

export function gridName(villageName: string, n: number): string { return `${villageName}第${n}网格`; }
export function gridCode(villageCode: string, n: number): string { return `${villageCode}-${String(n).padStart(2, '0')}`; }

export async function writeRegions(c: pg.PoolClient, L: Layout, progress: (done: number, total: number) => void): Promise<RegionsResult> {
  const { src, partition } = L;
  const k = partition.grids.length;
  const outlines = gridOutlines(L.cells, partition.grid, k, { smoothPasses: 2, simplify: 6 });
  progress(1, 6);

  // County outline (already closed ring in WGS84), rounded to the 1e-7° grid.
  const countyWkt = `MULTIPOLYGON(((${src.outline.map(([lon, lat]) => `${round7(lon)} ${round7(lat)}`).join(',')})))`;
  const { rows: [county] } = await c.query<{ id: number }>(
    `INSERT INTO regions (code, name, kind, subtype, parent_id, geom, label_point, area_m2)
     SELECT $1, $2, 'county', NULL, NULL, g, ST_PointOnSurface(g), ST_Area(g::geography)
     FROM (SELECT ST_GeomFromText($3, 4326) AS g) s RETURNING id`,
    [src.countyCode, src.countyName, countyWkt]);

  // Grid polygons before clipping.
  const idx: number[] = [];
  const vIdx: number[] = [];
  const tIdx: number[] = [];
  const wkts: string[] = [];
  for (let g = 0; g < k; g++) {
    const rings = outlines.rings[g].map(ringWkt).filter((r): r is string => r !== null);
    if (!rings.length) throw new Error(`grid ${g} has no outline`);
    const v = partition.grids[g].village;
    idx.push(g); vIdx.push(v); tIdx.push(src.villages[v].township); wkts.push(`POLYGON(${rings.join(',')})`);
  }
  await c.query(`CREATE TEMP TABLE gen_grid (idx int PRIMARY KEY, village int NOT NULL, township int NOT NULL, geom geometry NOT NULL) ON COMMIT DROP`);
  await c.query(
    `INSERT INTO gen_grid (idx, village, township, geom)
     SELECT i, v, t, CASE WHEN ST_IsValid(g) THEN g ELSE ST_MakeValid(g) END
     FROM (SELECT i, v, t, ST_GeomFromText(w, 4326) AS g FROM unnest($1::int[], $2::int[], $3::int[], $4::text[]) AS u(i, v, t, w)) s`,
    [idx, vIdx, tIdx, wkts]);
  await c.query('CREATE INDEX ON gen_grid USING gist (geom)');
  await c.query('ANALYZE gen_grid');
  progress(2, 6);

  // Clip to the county (only grids that reach its boundary).
  await c.query(
    `UPDATE gen_grid g SET geom = ST_CollectionExtract(ST_Intersection(g.geom, r.geom, $2), 3)
     FROM regions r WHERE r.id = $1 AND NOT ST_ContainsProperly(r.geom, g.geom)`,
    [county.id, GRID_SIZE]);
  progress(3, 6);

  // Clipping against the concave outline leaves a few disconnected pieces. Keep each grid's largest
  // piece and give every other piece to the neighbour it shares the longest boundary with (a grid
  // of the same village when it touches one), until every grid is a single polygon.
  let merged = 0;
  for (let round = 0; round < 12; round++) {
    const { rows: [{ n }] } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM gen_grid WHERE ST_NumGeometries(geom) > 1`);
    if (n === 0) break;
    await c.query(
      `CREATE TEMP TABLE gen_frag ON COMMIT DROP AS
       WITH parts AS (
         SELECT gg.idx, gg.village, d.geom AS g, row_number() OVER (PARTITION BY gg.idx ORDER BY ST_Area(d.geom) DESC, d.path) AS rn
         FROM gen_grid gg, ST_Dump(gg.geom) d WHERE ST_NumGeometries(gg.geom) > 1
       ), frags AS (SELECT row_number() OVER (ORDER BY idx, rn) AS fid, idx, village, g FROM parts WHERE rn > 1),
       cand AS (
         SELECT f.fid, n.idx AS nidx,
                ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(f.g), n.geom), 2)) AS len,
                n.village = f.village AS same, ST_Distance(f.g, n.geom) AS d
         FROM frags f JOIN gen_grid n ON n.idx <> f.idx AND ST_DWithin(n.geom, f.g, 0.002)
       )
       SELECT DISTINCT ON (f.fid) f.fid, f.idx, c.nidx, f.g
       FROM frags f JOIN cand c ON c.fid = f.fid
       ORDER BY f.fid, (c.len > 0 AND c.same) DESC, c.len DESC, c.d, c.nidx`);
    await c.query(
      `UPDATE gen_grid g SET geom = p.g FROM (
         SELECT DISTINCT ON (gg.idx) gg.idx, d.geom AS g FROM gen_grid gg, ST_Dump(gg.geom) d
         WHERE ST_NumGeometries(gg.geom) > 1 ORDER BY gg.idx, ST_Area(d.geom) DESC, d.path) p
       WHERE g.idx = p.idx`);
    await c.query(
      `UPDATE gen_grid g SET geom = ST_CollectionExtract(ST_UnaryUnion(ST_Collect(g.geom, f.u), $1), 3)
       FROM (SELECT nidx, ST_Collect(g) AS u FROM gen_frag GROUP BY nidx) f WHERE g.idx = f.nidx`, [GRID_SIZE]);
    const { rows: [{ cnt }] } = await c.query<{ cnt: number }>('SELECT count(*)::int AS cnt FROM gen_frag');
    merged += cnt;
    await c.query('DROP TABLE gen_frag');
  }
  const { rows: [{ bad }] } = await c.query<{ bad: number }>(`SELECT count(*)::int AS bad FROM gen_grid WHERE ST_NumGeometries(geom) <> 1 OR ST_IsEmpty(geom)`);
  if (bad) throw new Error(`${bad} grids are still not single polygons after merging clip fragments`);
  await c.query(`UPDATE gen_grid SET geom = ST_GeometryN(geom, 1)`);
  progress(4, 6);

  // Townships and villages from the grids.
  const tRows = await c.query<{ id: number; code: string }>(
    `INSERT INTO regions (code, name, kind, subtype, parent_id, geom, label_point, area_m2)
     SELECT m.code, m.name, 'township', m.subtype, $1, u.g, ST_PointOnSurface(u.g), ST_Area(u.g::geography)
     FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS m(t, code, name, subtype)
     JOIN (SELECT township AS t, ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(geom), $6), 3)) AS g FROM gen_grid GROUP BY township) u ON u.t = m.t
     ORDER BY m.t RETURNING id, code`,
    [county.id, src.townships.map((_, i) => i), src.townships.map((t) => t.code), src.townships.map((t) => t.name), src.townships.map((t) => t.subtype), GRID_SIZE]);
  const tId = new Map(tRows.rows.map((r) => [r.code, r.id]));
  const townshipIds = src.townships.map((t) => tId.get(t.code)!);
  const vRows = await c.query<{ id: number; code: string }>(
    `INSERT INTO regions (code, name, kind, subtype, parent_id, geom, label_point, area_m2)
     SELECT m.code, m.name, 'village', m.subtype, m.parent, u.g, ST_PointOnSurface(u.g), ST_Area(u.g::geography)
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[]) AS m(v, code, name, subtype, parent)
     JOIN (SELECT village AS v, ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(geom), $6), 3)) AS g FROM gen_grid GROUP BY village) u ON u.v = m.v
     ORDER BY m.v RETURNING id, code`,
    [src.villages.map((_, i) => i), src.villages.map((v) => v.code), src.villages.map((v) => v.fullName), src.villages.map((v) => v.subtype),
      src.villages.map((v) => townshipIds[v.township]), GRID_SIZE]);
  const vId = new Map(vRows.rows.map((r) => [r.code, r.id]));
  const villageIds = src.villages.map((v) => vId.get(v.code)!);
  if (villageIds.some((id) => id === undefined)) throw new Error('a village received no grid');
  progress(5, 6);

  // Grids.
  const grids: GridRow[] = partition.grids.map((g, i) => {
    const v = src.villages[g.village];
    return {
      id: 0, idx: i, code: gridCode(v.code, g.number), name: gridName(v.name, g.number), kind: g.urban ? 'urban' : 'rural',
      villageIdx: g.village, townshipIdx: v.township, villageId: villageIds[g.village], townshipId: townshipIds[v.township],
    };
  });
  const gRows = await c.query<{ id: number; code: string; gj: string }>(
    `INSERT INTO grids (code, name, village_id, kind, geom)
     SELECT m.code, m.name, m.village_id, m.kind, g.geom
     FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[]) AS m(idx, code, name, village_id, kind)
     JOIN gen_grid g ON g.idx = m.idx ORDER BY m.idx
     RETURNING id, code, ST_AsGeoJSON(geom, 9) AS gj`,
    [grids.map((g) => g.idx), grids.map((g) => g.code), grids.map((g) => g.name), grids.map((g) => g.villageId), grids.map((g) => g.kind)]);
  const byCode = new Map(gRows.rows.map((r) => [r.code, r]));
  const gridPolygons: XY[][][] = [];
  let vSum = 0;
  let vMax = 0;
  for (const g of grids) {
    const r = byCode.get(g.code)!;
    g.id = r.id;
    const poly = (JSON.parse(r.gj) as { coordinates: number[][][] }).coordinates.map((ring) => ring.map((p) => [p[0], p[1]] as XY));
    gridPolygons.push(poly);
    const nv = poly.reduce((a, ring) => a + ring.length - 1, 0);
    vSum += nv;
    vMax = Math.max(vMax, nv);
  }
  await c.query(
    `INSERT INTO grid_versions (grid_id, version, code, name, village_id, kind, geom, valid_from, valid_to, changed_by, reason)
     SELECT id, 1, code, name, village_id, kind, geom, '2024-01-01T00:00:00+08:00', NULL, 'seed', '初始划分' FROM grids ORDER BY id`);
  await c.query('DROP TABLE gen_grid');
  progress(6, 6);
  return {
    countyId: county.id, townshipIds, villageIds, grids, gridPolygons,
    stats: { vertexAvg: vSum / k, vertexMax: vMax, fragmentsMerged: merged, reverted: outlines.reverted },
  };
}
