// Seeds a real PostGIS (DATABASE_URL / TEST_DATABASE_URL server, database gridcc_dataset_test) with
// the Donghai demo dataset and checks its invariants with SQL of its own, independent of verify.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { createDatabase } from '../support/db.js';
import { seedDatabase, verifyDataset, type SeedSummary } from '../../data/generate/index.js';

const INCIDENTS = 20_000;
const UNTIL = new Date('2026-03-15T10:30:00+08:00');

let db: Database;
let summary: SeedSummary;
const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows as T[];
const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await q<T>(sql, params))[0];

beforeAll(async () => {
  db = await openDatabase({ databaseUrl: await createDatabase('gridcc_dataset_test', { fresh: true }), dataDir: '' });
  await migrate(db.pool);
  summary = await seedDatabase(db.pool, { incidents: INCIDENTS, until: UNTIL });
});
afterAll(async () => { await db?.close(); });

describe('seeded Donghai dataset', () => {
  it('has the published counts', async () => {
    const c = await one<Record<string, number>>(`SELECT
      (SELECT count(*) FROM regions WHERE kind = 'county')::int AS county,
      (SELECT count(*) FROM regions WHERE kind = 'township')::int AS townships,
      (SELECT count(*) FROM regions WHERE kind = 'village')::int AS villages,
      (SELECT count(*) FROM grids)::int AS grids,
      (SELECT count(*) FROM grid_versions WHERE version = 1 AND valid_to IS NULL)::int AS versions,
      (SELECT count(*) FROM workers)::int AS workers,
      (SELECT count(*) FROM departments)::int AS departments,
      (SELECT count(*) FROM cameras)::int AS cameras,
      (SELECT count(*) FROM incidents)::int AS incidents`);
    expect(c).toMatchObject({ county: 1, townships: 21, villages: 373, grids: 1076, versions: 1076, workers: 2911, departments: 66, incidents: INCIDENTS });
    expect(c.cameras).toBeGreaterThanOrEqual(3000);
    expect(summary).toMatchObject({ townships: 21, villages: 373, grids: 1076, workers: 2911, departments: 66, incidents: INCIDENTS });
    expect(summary.roads).toBeGreaterThan(50);
  });

  it('keeps the official names and codes of the county, townships and villages', async () => {
    expect(await one(`SELECT code, name, parent_id FROM regions WHERE kind = 'county'`)).toEqual({ code: '320722', name: '东海县', parent_id: null });
    expect(await one(`SELECT name, subtype FROM regions WHERE code = '320722001'`)).toEqual({ name: '牛山街道', subtype: '街道' });
    expect(await one(`SELECT name, subtype FROM regions WHERE code = '320722001001'`)).toEqual({ name: '牛山社区居民委员会', subtype: '社区' });
    expect(await one(`SELECT name, subtype FROM regions WHERE code = '320722203500'`)).toEqual({ name: '李埝林场生活区', subtype: '林场' });
    const bad = await one<{ n: number }>(`SELECT count(*)::int n FROM regions v JOIN regions t ON t.id = v.parent_id
      WHERE v.kind = 'village' AND (t.kind <> 'township' OR left(v.code, 9) <> t.code)`);
    expect(bad.n).toBe(0);
    const subtypes = await q<{ kind: string; subtype: string }>(`SELECT DISTINCT kind, subtype FROM regions WHERE kind <> 'county' ORDER BY 1, 2`);
    expect(subtypes.filter((s) => s.kind === 'township').map((s) => s.subtype).sort()).toEqual(['乡', '开发区', '街道', '镇'].sort());
    expect(subtypes.filter((s) => s.kind === 'village').map((s) => s.subtype).sort()).toEqual(['林场', '村', '社区'].sort());
  });

  it('has valid single-polygon grids and valid regions', async () => {
    const r = await one<{ bad_grids: number; bad_regions: number }>(`SELECT
      (SELECT count(*) FROM grids WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom) OR GeometryType(geom) <> 'POLYGON' OR ST_SRID(geom) <> 4326)::int AS bad_grids,
      (SELECT count(*) FROM regions WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom) OR NOT ST_Intersects(label_point, geom) OR area_m2 <= 0)::int AS bad_regions`);
    expect(r).toEqual({ bad_grids: 0, bad_regions: 0 });
  });

  it('partitions the county: no overlaps, no gaps', async () => {
    const { overlap } = await one<{ overlap: number }>(`SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)::float8 AS overlap
      FROM grids a JOIN grids b ON a.id < b.id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)`);
    expect(overlap).toBeLessThan(1);
    const { u, c } = await one<{ u: number; c: number }>(`SELECT
      (SELECT ST_Area(ST_Union(geom)::geography) FROM grids)::float8 AS u,
      (SELECT ST_Area(geom::geography) FROM regions WHERE kind = 'county')::float8 AS c`);
    expect(Math.abs(u / c - 1)).toBeLessThan(1e-4);
    expect(c / 1e6).toBeGreaterThan(2000);
    const { sum } = await one<{ sum: number }>(`SELECT sum(area_m2)::float8 AS sum FROM regions WHERE kind = 'township'`);
    expect(Math.abs(sum / c - 1)).toBeLessThan(1e-4);
  });

  it('nests grids in their village and villages in their township', async () => {
    const gv = await one<{ m: number }>(`SELECT coalesce(max(ST_Area(ST_Difference(g.geom, v.geom)::geography)), 0)::float8 AS m
      FROM grids g JOIN regions v ON v.id = g.village_id`);
    const vt = await one<{ m: number }>(`SELECT coalesce(max(ST_Area(ST_Difference(v.geom, t.geom)::geography)), 0)::float8 AS m
      FROM regions v JOIN regions t ON t.id = v.parent_id WHERE v.kind = 'village'`);
    expect(gv.m).toBeLessThan(1);
    expect(vt.m).toBeLessThan(1);
    const empty = await one<{ n: number }>(`SELECT count(*)::int n FROM regions v WHERE v.kind = 'village' AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.village_id = v.id)`);
    expect(empty.n).toBe(0);
  });

  it('codes and names grids after their village, numbered from 01', async () => {
    const bad = await one<{ n: number }>(`SELECT count(*)::int n FROM (
        SELECT g.code, v.code AS vcode, g.name, v.name AS vname, row_number() OVER (PARTITION BY g.village_id ORDER BY g.code) AS k
        FROM grids g JOIN regions v ON v.id = g.village_id) s
      WHERE code <> vcode || '-' || lpad(k::text, 2, '0') OR name !~ '第[0-9]+网格$'`);
    expect(bad.n).toBe(0);
    expect(await one(`SELECT name FROM grids WHERE code = '320722001001-01'`)).toEqual({ name: '牛山社区第1网格' });
    const kinds = await one<{ urban: number; rural: number; urban_community: number }>(`SELECT
      count(*) FILTER (WHERE g.kind = 'urban')::int AS urban, count(*) FILTER (WHERE g.kind = 'rural')::int AS rural,
      count(*) FILTER (WHERE v.subtype = '社区' AND g.kind <> 'urban')::int AS urban_community
      FROM grids g JOIN regions v ON v.id = g.village_id`);
    expect(kinds.urban_community).toBe(0);
    expect(kinds.urban).toBeGreaterThan(150);
    expect(kinds.rural).toBeGreaterThan(600);
  });

  it('makes grids small in the county seat and large in the countryside', async () => {
    const r = await one<{ seat: number; far: number }>(`SELECT
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ST_Area(geom::geography)) FILTER (WHERE ST_DWithin(geom::geography, ST_MakePoint(118.76495, 34.52352)::geography, 1500)) AS seat,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ST_Area(geom::geography)) FILTER (WHERE NOT ST_DWithin(geom::geography, ST_MakePoint(118.76495, 34.52352)::geography, 15000)) AS far
      FROM grids`);
    expect(r.far / r.seat).toBeGreaterThan(5);
  });

  it('staffs every grid: a 网格长 per village, a full-timer per urban grid, a part-timer per rural grid', async () => {
    const r = await one<Record<string, number>>(`SELECT
      (SELECT count(*) FROM grids g WHERE NOT EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id))::int AS unstaffed,
      (SELECT count(DISTINCT g.village_id) FROM workers w JOIN grids g ON g.id = w.grid_id WHERE w.role = 'grid_leader')::int AS leader_villages,
      (SELECT count(*) FROM workers WHERE role = 'grid_leader')::int AS leaders,
      (SELECT count(*) FROM grids g WHERE g.kind = 'urban' AND NOT EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id AND w.role = 'full_time'))::int AS urban_without_fulltime,
      (SELECT count(*) FROM grids g WHERE g.kind = 'rural' AND NOT EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id AND w.role = 'part_time'))::int AS rural_without_parttime,
      (SELECT count(DISTINCT device_id) FROM workers)::int AS devices,
      (SELECT count(*) FROM workers WHERE phone !~ '^1[358][0-9]{9}$' OR device_id !~ '^[0-9]{6}$' OR code !~ '^W[0-9]{6}$')::int AS bad_format`);
    expect(r).toEqual({ unstaffed: 0, leader_villages: 373, leaders: 373, urban_without_fulltime: 0, rural_without_parttime: 0, devices: 2911, bad_format: 0 });
  });

  it('places cameras inside the county, in the grid they are filed under', async () => {
    const r = await one<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE NOT ST_Intersects(c.geom, (SELECT geom FROM regions WHERE kind = 'county')))::int AS outside,
      count(*) FILTER (WHERE c.grid_id IS NULL OR NOT ST_Intersects(c.geom, g.geom))::int AS wrong_grid,
      count(DISTINCT c.kind)::int AS kinds,
      round(100.0 * count(*) FILTER (WHERE c.status = 'online') / count(*))::int AS online_pct
      FROM cameras c LEFT JOIN grids g ON g.id = c.grid_id`);
    expect(r.outside).toBe(0);
    expect(r.wrong_grid).toBe(0);
    expect(r.kinds).toBe(3);
    expect(r.online_pct).toBeGreaterThanOrEqual(90);
    expect(r.online_pct).toBeLessThanOrEqual(96);
  });

  it('files every incident under the grid, village and township containing it', async () => {
    const r = await one<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE NOT ST_Intersects(g.geom, i.geom))::int AS outside_grid,
      count(*) FILTER (WHERE i.village_id <> g.village_id OR i.township_id <> v.parent_id)::int AS wrong_region,
      count(*) FILTER (WHERE i.accepted_at < i.reported_at OR i.dispatched_at < i.accepted_at OR i.resolved_at < i.reported_at
                        OR i.closed_at < i.reported_at OR i.reported_at > $1::timestamptz)::int AS bad_times,
      count(*) FILTER (WHERE i.source = 'grid_worker' AND i.reporter_worker_id IS NULL)::int AS no_reporter,
      count(*) FILTER (WHERE i.dispatched_at IS NOT NULL AND i.department_id IS NULL)::int AS no_department,
      count(*) FILTER (WHERE i.status IN ('rated', 'closed') AND i.rating IS NULL)::int AS no_rating,
      count(*) FILTER (WHERE i.reported_at < $1::timestamptz - interval '3 days' AND i.status NOT IN ('closed', 'void'))::int AS old_open,
      count(*) FILTER (WHERE i.reported_at >= $1::timestamptz - interval '1 day')::int AS last_day,
      count(DISTINCT i.status) FILTER (WHERE i.reported_at >= $1::timestamptz - interval '2 days')::int AS recent_statuses
      FROM incidents i JOIN grids g ON g.id = i.grid_id JOIN regions v ON v.id = g.village_id`, [UNTIL.toISOString()]);
    expect(r).toMatchObject({ outside_grid: 0, wrong_region: 0, bad_times: 0, no_reporter: 0, no_department: 0, no_rating: 0 });
    expect(r.old_open / INCIDENTS).toBeLessThan(0.02);
    expect(r.last_day).toBeGreaterThan(INCIDENTS / 365 / 2);
    expect(r.recent_statuses).toBeGreaterThanOrEqual(6);
  });

  it('draws a base map of roads and water inside the county', async () => {
    const rows = await q<{ kind: string; class: string; n: number }>(`SELECT kind, class, count(*)::int n FROM basemap_features GROUP BY 1, 2 ORDER BY 1, 2`);
    const cls = new Set(rows.map((r) => `${r.kind}/${r.class}`));
    for (const c of ['road/expressway', 'road/national', 'road/county', 'road/village', 'water/reservoir', 'water/river']) expect(cls).toContain(c);
    const outside = await one<{ n: number }>(`SELECT count(*)::int n FROM basemap_features b, regions r
      WHERE r.kind = 'county' AND ST_Area(ST_Difference(ST_Buffer(b.geom, 0.00001), ST_Buffer(r.geom, 0.0001))) > 0`);
    expect(outside.n).toBe(0);
  });

  it('records the seed and passes its own verification', async () => {
    const { value } = await one<{ value: { seed: number; incidents: number; until: string; counts: { grids: number } } }>(`SELECT value FROM dataset_info WHERE key = 'seed'`);
    expect(value).toMatchObject({ seed: 20201076, incidents: INCIDENTS, until: UNTIL.toISOString(), counts: { grids: 1076 } });
    expect(summary.verification.gridOverlapM2).toBeLessThan(1);
    expect(Math.abs(summary.verification.unionAreaRatio - 1)).toBeLessThan(1e-4);
    const report = await verifyDataset(db.pool);
    expect(report.counts.grids).toBe(1076);
  });

  it('verifyDataset rejects a broken partition', async () => {
    const c = await db.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`UPDATE grids SET geom = ST_Translate(geom, 0.002, 0) WHERE id = (SELECT min(id) FROM grids)`);
      await expect(verifyDataset(c)).rejects.toThrow(/overlap|outside its village/);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  it('rebuilds the same geometry from the same seed', async () => {
    const before = await one<{ h: string }>(`SELECT md5(string_agg(code || ST_AsText(geom), ',' ORDER BY code)) h FROM grids`);
    const inc = await one<{ h: string }>(`SELECT md5(string_agg(code || status || ST_AsText(geom), ',' ORDER BY code)) h FROM incidents`);
    await seedDatabase(db.pool, { incidents: INCIDENTS, until: UNTIL });
    expect(await one(`SELECT md5(string_agg(code || ST_AsText(geom), ',' ORDER BY code)) h FROM grids`)).toEqual(before);
    expect(await one(`SELECT md5(string_agg(code || status || ST_AsText(geom), ',' ORDER BY code)) h FROM incidents`)).toEqual(inc);
    expect(await one(`SELECT min(id)::int AS g FROM grids`)).toEqual({ g: 1 });
  });
});
