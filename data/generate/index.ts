// The deterministic Donghai demo dataset: seedDatabase(pool) empties the data tables of an already
// migrated database and rebuilds them from a seed number, in one transaction, checking the result
// before committing. Works on PostgreSQL 15 + PostGIS 3.3 and on the embedded PGlite (one backend
// behind a socket: inside the transaction only its own client is used, never pool.query).
import type pg from 'pg';
import { buildLayout, type Layout } from './layout.js';
import { writeRegions, type RegionsResult } from './regions.js';
import { lineToWkt, pointInRing, project, unproject, type XY } from './geo.js';
import { makeDepartments, makeWorkers, type Worker } from './people.js';
import { generateCameras } from './cameras.js';
import { defaultHotspots, generateIncidents, type IncidentGrid } from './incidents.js';
import { nearestOnRoads } from './roads.js';
import { Rng } from './random.js';
import { verifyDataset, type VerificationReport } from './verify.js';

export type { VerificationReport } from './verify.js';
export { verifyDataset } from './verify.js';

export const DEFAULT_SEED = 20201076;
export const GENERATOR_VERSION = '1.3.0';

export interface SeedOptions {
  /** Default 20201076. */
  seed?: number;
  /** Incidents over the year of history (default 100,000). */
  incidents?: number;
  /** End of the year of history (default now). */
  until?: Date;
  progress?: (step: string, done: number, total: number) => void;
}

export interface SeedSummary {
  seed: number;
  townships: number;
  villages: number;
  grids: number;
  workers: number;
  departments: number;
  cameras: number;
  incidents: number;
  roads: number;
  verification: VerificationReport;
  /** Milliseconds per step. */
  ms: Record<string, number>;
}

/** Tables the seed owns; TRUNCATE … CASCADE also empties tables that reference them (live state). */
const DATA_TABLES = ['incidents', 'positions', 'cameras', 'workers', 'grid_versions', 'grids', 'regions', 'departments', 'basemap_features'];

const BATCH = 8000;

export async function seedDatabase(pool: pg.Pool, opts: SeedOptions = {}): Promise<SeedSummary> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const total = opts.incidents ?? 100_000;
  const until = opts.until ?? new Date();
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer 0–4294967295, got ${seed}`);
  if (!Number.isInteger(total) || total < 0) throw new Error(`incidents must be a non-negative integer, got ${total}`);
  if (Number.isNaN(until.getTime())) throw new Error('until is not a valid date');
  const progress = opts.progress ?? (() => {});
  const ms: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => { const t = performance.now(); ms[name] = Math.round(t - t0); t0 = t; };

  progress('layout', 0, 1);
  const L = buildLayout(seed);
  progress('layout', 1, 1);
  lap('layout');

  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // The whole seed is one transaction: a failure (or a failed check) leaves the old data.
    await c.query('SET LOCAL synchronous_commit = off');
    await c.query(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    await c.query(`DELETE FROM dataset_info WHERE key = 'seed'`);
    lap('clear');

    const regions = await writeRegions(c, L, (d, t) => progress('regions and grids', d, t));
    lap('regions');

    const roads = await writeBasemap(c, L, regions.countyId);
    progress('base map', 1, 1);
    lap('basemap');

    const departments = makeDepartments(seed);
    const { rows: deptRows } = await c.query<{ id: number; name: string }>(
      `INSERT INTO departments (code, name, kind, phone) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ORDER BY 1 RETURNING id, name`,
      [departments.map((d) => d.code), departments.map((d) => d.name), departments.map((d) => d.kind), departments.map((d) => d.phone)]);
    const workers = makeWorkers(L.partition.grids, seed);
    const workerIds = await insertWorkers(c, workers, regions);
    progress('people', 1, 1);
    lap('people');

    const cameras = generateCameras(L, seed);
    for (let i = 0; i < cameras.length; i += BATCH) {
      const part = cameras.slice(i, i + BATCH);
      const ll = part.map((cam) => unproject(cam.p[0], cam.p[1]));
      await c.query(
        `INSERT INTO cameras (code, name, kind, geom, heading, fov, range_m, status, stream_url, grid_id, installed_at)
         SELECT u.code, u.name, u.kind, p.geom, u.heading, u.fov, u.range_m, u.status, u.url,
                (SELECT g.id FROM grids g WHERE ST_Intersects(g.geom, p.geom) ORDER BY g.id LIMIT 1), u.installed::date
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::real[], $7::real[], $8::real[], $9::text[], $10::text[], $11::text[])
              AS u(code, name, kind, lon, lat, heading, fov, range_m, status, url, installed)
         CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326) AS geom) p`,
        [part.map((x) => x.code), part.map((x) => x.name), part.map((x) => x.kind), ll.map((p) => round6(p[0])), ll.map((p) => round6(p[1])),
          part.map((x) => x.heading), part.map((x) => x.fov), part.map((x) => x.rangeM), part.map((x) => (x.online ? 'online' : 'offline')),
          part.map((x) => x.streamUrl), part.map((x) => x.installedAt)]);
      progress('cameras', Math.min(cameras.length, i + BATCH), cameras.length);
    }
    lap('cameras');

    const incidentCount = await insertIncidents(c, L, regions, workers, workerIds, new Map(deptRows.map((r) => [r.name, r.id])), seed, total, until,
      (d) => progress('incidents', d, total));
    lap('incidents');

    const counts = { townships: L.src.townships.length, villages: L.src.villages.length, grids: regions.grids.length, workers: workers.length, departments: departments.length, cameras: cameras.length, incidents: incidentCount, roads };
    await c.query(
      `INSERT INTO dataset_info (key, value) VALUES ('seed', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify({ seed, generatorVersion: GENERATOR_VERSION, incidents: total, until: until.toISOString(), seededAt: new Date().toISOString(), counts })]);
    for (const t of ['regions', 'grids', 'grid_versions', 'workers', 'departments', 'cameras', 'basemap_features', 'incidents']) await c.query(`ANALYZE ${t}`);
    lap('finish');

    progress('verify', 0, 1);
    const verification = await verifyDataset(c);
    progress('verify', 1, 1);
    // Verified above against the source outline, which is quantised to ~100 m. The county we govern
    // is exactly what its grids cover (clipped to that outline on a 1e-7° grid): storing that union
    // as the county leaves no centimetre-wide slivers for the coverage checks of edits to trip on.
    await c.query(`
      UPDATE regions c SET geom = ST_Multi(u.geom), area_m2 = ST_Area(u.geom::geography), label_point = ST_PointOnSurface(u.geom)
      FROM (SELECT ST_Union(geom) AS geom FROM grids) u WHERE c.kind = 'county'`);
    lap('verify');
    await c.query('COMMIT');
    lap('commit');
    return { seed, ...counts, verification, ms };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

function round6(v: number): number { return Math.round(v * 1e6) / 1e6; }

async function writeBasemap(c: pg.PoolClient, L: Layout, countyId: number): Promise<number> {
  const toLl = (line: XY[]) => line.map(([x, y]) => { const [lon, lat] = unproject(x, y); return [round6(lon), round6(lat)] as XY; });
  const feats: { kind: string; cls: string; name: string; wkt: string; dim: number }[] = [];
  for (const r of L.roads) feats.push({ kind: 'road', cls: r.class, name: r.name, wkt: lineToWkt(toLl(r.line)), dim: 2 });
  for (const w of L.water) {
    if (w.line) feats.push({ kind: 'water', cls: w.class, name: w.name, wkt: lineToWkt(toLl(w.line)), dim: 2 });
    if (w.polygon) {
      const ring = toLl(w.polygon);
      feats.push({ kind: 'water', cls: w.class, name: w.name, wkt: `POLYGON((${ring.map((p) => `${p[0]} ${p[1]}`).join(',')}))`, dim: 3 });
    }
  }
  // Clipped to the county; features left empty by the clip are dropped.
  const { rows } = await c.query<{ kind: string }>(
    `INSERT INTO basemap_features (kind, class, name, geom)
     SELECT u.kind, u.cls, u.name, x.g FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) WITH ORDINALITY AS u(kind, cls, name, wkt, dim, ord)
     CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(ST_GeomFromText(u.wkt, 4326), r.geom), u.dim) AS g FROM regions r WHERE r.id = $6) x
     WHERE NOT ST_IsEmpty(x.g) ORDER BY u.ord RETURNING kind`,
    [feats.map((f) => f.kind), feats.map((f) => f.cls), feats.map((f) => f.name), feats.map((f) => f.wkt), feats.map((f) => f.dim), countyId]);
  return rows.filter((r) => r.kind === 'road').length;
}

async function insertWorkers(c: pg.PoolClient, workers: Worker[], regions: RegionsResult): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < workers.length; i += BATCH) {
    const part = workers.slice(i, i + BATCH);
    const { rows } = await c.query<{ id: number }>(
      `INSERT INTO workers (code, name, role, grid_id, phone, device_id, active, shift_start, shift_end)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::bool[], $8::time[], $9::time[]) ORDER BY 1 RETURNING id`,
      [part.map((w) => w.code), part.map((w) => w.name), part.map((w) => w.role), part.map((w) => regions.grids[w.grid].id), part.map((w) => w.phone),
        part.map((w) => w.deviceId), part.map((w) => w.active), part.map((w) => w.shiftStart), part.map((w) => w.shiftEnd)]);
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

async function insertIncidents(
  c: pg.PoolClient, L: Layout, regions: RegionsResult, workers: Worker[], workerIds: number[], departments: Map<string, number>,
  seed: number, total: number, until: Date, progress: (done: number) => void,
): Promise<number> {
  const { src, cells, partition } = L;
  const rng = Rng.derive(seed, 'grid-activity');
  const byGrid: number[][] = regions.grids.map(() => []);
  workers.forEach((w, i) => { if (w.active) byGrid[w.grid].push(workerIds[i]); });
  const streetRoads = L.roads.filter((r) => r.class !== 'village' && r.class !== 'expressway');
  const grids: IncidentGrid[] = regions.grids.map((g, i) => {
    const poly = regions.gridPolygons[i];
    const outer = poly[0];
    const box = outer.reduce((b, [x, y]) => [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)], [Infinity, Infinity, -Infinity, -Infinity]);
    let cx = 0;
    let cy = 0;
    for (let k = 0; k < outer.length - 1; k++) { cx += outer[k][0]; cy += outer[k][1]; }
    const centre = project(cx / (outer.length - 1), cy / (outer.length - 1));
    const township = src.townships[g.townshipIdx];
    const dTown = Math.hypot(centre[0] - township.centreXY[0], centre[1] - township.centreXY[1]);
    const near = nearestOnRoads(streetRoads, centre);
    const townish = g.kind === 'urban' || dTown < 1200;
    const short = township.name.replace(/^江苏东海/, '');
    // Share of the grid on dry land (a few grids lie mostly on a reservoir and see few incidents).
    let dry = 0;
    let tried = 0;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const q: XY = [box[0] + ((x + 0.5) / 8) * (box[2] - box[0]), box[1] + ((y + 0.5) / 8) * (box[3] - box[1])];
        if (!pointInRing(q, outer)) continue;
        tried++;
        if (!L.inWater(project(q[0], q[1]))) dry++;
      }
    }
    const dryShare = tried ? dry / tried : 1;
    return {
      id: g.id, villageId: g.villageId, townshipId: g.townshipId, urban: g.kind === 'urban',
      // Grids hold similar numbers of residents; town grids see more trade and traffic.
      weight: (g.kind === 'urban' ? 1.25 : 1) * (dTown < 1200 ? 1.4 : 1) * rng.logNormal(1, 0.35) * (0.05 + 0.95 * dryShare),
      polygon: poly,
      addressPrefix: townish ? short : `${short}${src.villages[g.villageIdx].name}`,
      street: townish ? streetRoads[near.road].name : null,
      streetIsRoad: townish && streetRoads[near.road].class !== 'street',
      workers: byGrid[i],
    };
  });
  const locate = (p: XY): number => {
    const q = project(p[0], p[1]);
    const cell = cells.delaunay.find(q[0], q[1]);
    const cand = new Set<number>([partition.grid[cell]]);
    for (let k = cells.adjStart[cell]; k < cells.adjStart[cell + 1]; k++) cand.add(partition.grid[cells.adjNode[k]]);
    for (const g of cand) {
      const poly = regions.gridPolygons[g];
      if (pointInRing(p, poly[0]) && !poly.slice(1).some((h) => pointInRing(p, h))) return g;
    }
    return -1;
  };
  const hotspots = defaultHotspots(src.seat, src.townships.slice(1).map((t) => ({ name: t.name.replace(/^江苏东海/, ''), p: t.centre })), seed);
  let done = 0;
  const water = (p: XY) => L.inWater(project(p[0], p[1]));
  for (const b of generateIncidents({ grids, hotspots, departments, locate, water, seed, total, until }, BATCH)) {
    await c.query(
      `INSERT INTO incidents (code, category, source, status, priority, description, address, geom, grid_id, village_id, township_id,
                              reporter_worker_id, department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at, due_at, rating, created_at)
       SELECT code, category, source, status, priority, description, address, ST_SetSRID(ST_MakePoint(lon, lat), 4326), grid_id, village_id, township_id,
              reporter, department, to_timestamp(reported / 1000), to_timestamp(accepted / 1000), to_timestamp(dispatched / 1000),
              to_timestamp(resolved / 1000), to_timestamp(closed / 1000), to_timestamp(due / 1000), rating, to_timestamp(reported / 1000)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int2[], $6::text[], $7::text[], $8::float8[], $9::float8[], $10::int[], $11::int[], $12::int[],
                   $13::int[], $14::int[], $15::float8[], $16::float8[], $17::float8[], $18::float8[], $19::float8[], $20::float8[], $21::int2[])
         AS u(code, category, source, status, priority, description, address, lon, lat, grid_id, village_id, township_id,
              reporter, department, reported, accepted, dispatched, resolved, closed, due, rating)`,
      [b.code, b.category, b.source, b.status, b.priority, b.description, b.address, b.lon, b.lat, b.gridId, b.villageId, b.townshipId,
        b.reporter, b.department, b.reportedAt, b.acceptedAt, b.dispatchedAt, b.resolvedAt, b.closedAt, b.dueAt, b.rating]);
    done += b.code.length;
    progress(done);
  }
  return done;
}

