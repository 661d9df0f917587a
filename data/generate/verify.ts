// The dataset's invariants, checked in PostGIS on what is actually stored. seedDatabase runs this
// before committing, so a dataset that breaks one is never kept.
import type pg from 'pg';

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface VerificationReport {
  counts: { county: number; townships: number; villages: number; grids: number; workers: number; departments: number; cameras: number; incidents: number };
  invalidGeometries: number;
  /** Sum over pairs of grids of the area (m², geodesic) they share. */
  gridOverlapM2: number;
  /** Area of the union of all grids / area of the county outline. */
  unionAreaRatio: number;
  countyAreaKm2: number;
  /** Largest area of a grid outside its village / a village outside its township (m²). */
  maxGridOutsideVillageM2: number;
  maxVillageOutsideTownshipM2: number;
  gridsWithBadCode: number;
  villagesWithoutGrid: number;
  gridsWithoutWorker: number;
  gridVertices: { avg: number; max: number };
  gridAreaM2: { min: number; max: number; median: number };
  incidentsOutsideTheirGrid: number;
  ms: number;
}

export const EXPECTED = { townships: 21, villages: 373, grids: 1076, workers: 2911, departments: 66, minCameras: 3000 } as const;

export async function verifyDataset(db: Queryable): Promise<VerificationReport> {
  const t0 = performance.now();
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await db.query(sql, params)).rows[0] as T;
  const counts = await one<VerificationReport['counts']>(`SELECT
      (SELECT count(*) FROM regions WHERE kind = 'county')::int AS county,
      (SELECT count(*) FROM regions WHERE kind = 'township')::int AS townships,
      (SELECT count(*) FROM regions WHERE kind = 'village')::int AS villages,
      (SELECT count(*) FROM grids)::int AS grids,
      (SELECT count(*) FROM workers)::int AS workers,
      (SELECT count(*) FROM departments)::int AS departments,
      (SELECT count(*) FROM cameras)::int AS cameras,
      (SELECT count(*) FROM incidents)::int AS incidents`);
  const { invalid } = await one<{ invalid: number }>(`SELECT
      ((SELECT count(*) FROM grids WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom) OR GeometryType(geom) <> 'POLYGON')
     + (SELECT count(*) FROM regions WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)))::int AS invalid`);
  // Only pairs whose interiors meet (DE-9IM 2********) can have a positive shared area.
  const { overlap } = await one<{ overlap: number }>(`SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)::float8 AS overlap
      FROM grids a JOIN grids b ON a.id < b.id AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')`);
  const { union_m2, county_m2 } = await one<{ union_m2: number; county_m2: number }>(`SELECT
      (SELECT ST_Area(ST_Union(geom)::geography) FROM grids)::float8 AS union_m2,
      (SELECT ST_Area(geom::geography) FROM regions WHERE kind = 'county')::float8 AS county_m2`);
  // ST_Difference is only computed where the child is not already covered (covers is cheap).
  const { gv } = await one<{ gv: number }>(`SELECT coalesce(max(ST_Area(ST_Difference(g.geom, v.geom)::geography)), 0)::float8 AS gv
      FROM grids g JOIN regions v ON v.id = g.village_id WHERE NOT ST_Covers(v.geom, g.geom)`);
  const { vt } = await one<{ vt: number }>(`SELECT coalesce(max(ST_Area(ST_Difference(v.geom, t.geom)::geography)), 0)::float8 AS vt
      FROM regions v JOIN regions t ON t.id = v.parent_id WHERE v.kind = 'village' AND NOT ST_Covers(t.geom, v.geom)`);
  const misc = await one<{ bad_code: number; empty_villages: number; no_worker: number; vavg: number; vmax: number; amin: number; amax: number; amed: number; wrong_grid: number }>(`SELECT
      (SELECT count(*) FROM grids g JOIN regions v ON v.id = g.village_id WHERE g.code !~ ('^' || v.code || '-[0-9]{2}$'))::int AS bad_code,
      (SELECT count(*) FROM regions v WHERE v.kind = 'village' AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.village_id = v.id))::int AS empty_villages,
      (SELECT count(*) FROM grids g WHERE NOT EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id))::int AS no_worker,
      (SELECT avg(ST_NPoints(geom) - ST_NumInteriorRings(geom) - 1) FROM grids)::float8 AS vavg,
      (SELECT max(ST_NPoints(geom) - ST_NumInteriorRings(geom) - 1) FROM grids)::int AS vmax,
      (SELECT min(a) FROM (SELECT ST_Area(geom::geography) a FROM grids) s)::float8 AS amin,
      (SELECT max(a) FROM (SELECT ST_Area(geom::geography) a FROM grids) s)::float8 AS amax,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ST_Area(geom::geography)) FROM grids)::float8 AS amed,
      (SELECT count(*) FROM (SELECT i.geom, i.grid_id FROM incidents i ORDER BY i.id LIMIT 2000) i JOIN grids g ON g.id = i.grid_id WHERE NOT ST_Intersects(g.geom, i.geom))::int AS wrong_grid`);
  const report: VerificationReport = {
    counts,
    invalidGeometries: invalid,
    gridOverlapM2: overlap,
    unionAreaRatio: county_m2 > 0 ? union_m2 / county_m2 : 0,
    countyAreaKm2: county_m2 / 1e6,
    maxGridOutsideVillageM2: gv,
    maxVillageOutsideTownshipM2: vt,
    gridsWithBadCode: misc.bad_code,
    villagesWithoutGrid: misc.empty_villages,
    gridsWithoutWorker: misc.no_worker,
    gridVertices: { avg: misc.vavg, max: misc.vmax },
    gridAreaM2: { min: misc.amin, max: misc.amax, median: misc.amed },
    incidentsOutsideTheirGrid: misc.wrong_grid,
    ms: Math.round(performance.now() - t0),
  };
  const problems = verificationProblems(report);
  if (problems.length) {
    const err = new Error(`dataset verification failed:\n  - ${problems.join('\n  - ')}`) as Error & { report?: VerificationReport };
    err.report = report;
    throw err;
  }
  return report;
}

/** The failed invariants of a report, in words (empty when all hold). */
export function verificationProblems(r: VerificationReport): string[] {
  const p: string[] = [];
  const c = r.counts;
  if (c.county !== 1) p.push(`expected 1 county region, found ${c.county}`);
  if (c.townships !== EXPECTED.townships) p.push(`expected ${EXPECTED.townships} townships, found ${c.townships}`);
  if (c.villages !== EXPECTED.villages) p.push(`expected ${EXPECTED.villages} villages, found ${c.villages}`);
  if (c.grids !== EXPECTED.grids) p.push(`expected ${EXPECTED.grids} grids, found ${c.grids}`);
  if (c.workers !== EXPECTED.workers) p.push(`expected ${EXPECTED.workers} workers, found ${c.workers}`);
  if (c.departments !== EXPECTED.departments) p.push(`expected ${EXPECTED.departments} departments, found ${c.departments}`);
  if (c.cameras < EXPECTED.minCameras) p.push(`expected at least ${EXPECTED.minCameras} cameras, found ${c.cameras}`);
  if (r.invalidGeometries) p.push(`${r.invalidGeometries} invalid, empty or non-Polygon geometries`);
  if (!(r.gridOverlapM2 < 1)) p.push(`grids overlap by ${r.gridOverlapM2.toFixed(3)} m² in total (limit 1 m²)`);
  if (!(Math.abs(r.unionAreaRatio - 1) <= 1e-4)) p.push(`union of grids is ${(r.unionAreaRatio * 100).toFixed(4)} % of the county area (limit ±0.01 %)`);
  if (!(r.maxGridOutsideVillageM2 < 1)) p.push(`a grid lies ${r.maxGridOutsideVillageM2.toFixed(3)} m² outside its village`);
  if (!(r.maxVillageOutsideTownshipM2 < 1)) p.push(`a village lies ${r.maxVillageOutsideTownshipM2.toFixed(3)} m² outside its township`);
  if (r.gridsWithBadCode) p.push(`${r.gridsWithBadCode} grid codes do not follow their village code`);
  if (r.villagesWithoutGrid) p.push(`${r.villagesWithoutGrid} villages have no grid`);
  if (c.workers > 0 && r.gridsWithoutWorker) p.push(`${r.gridsWithoutWorker} grids have no worker`);
  if (r.incidentsOutsideTheirGrid) p.push(`${r.incidentsOutsideTheirGrid} sampled incidents lie outside the grid they are filed under`);
  return p;
}
