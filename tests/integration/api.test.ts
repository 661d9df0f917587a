import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';
import type { GridCollection } from '../../server/schemas/grids.js';
import type { RegionCollection } from '../../server/schemas/regions.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('GET /api/health', () => {
  it('reports the external mode, PostGIS version and row counts', async () => {
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.mode).toBe('external');
    expect(body.postgis).toMatch(/^3\.\d+/);
    expect(body.counts).toMatchObject({ townships: 21, villages: 373, grids: 1076, workers: 2911, departments: 66 });
    expect(body.counts.cameras).toBeGreaterThanOrEqual(3000);
    expect(body.counts.incidents).toBeGreaterThan(0);
  });
});

describe('GET /api/regions', () => {
  it.each([['county', 1], ['township', 21], ['village', 373]] as const)('level=%s returns %i areas', async (level, n) => {
    const res = await api(`/api/regions?level=${level}`);
    expect(res.statusCode).toBe(200);
    const fc = res.json() as RegionCollection;
    expect(fc.features).toHaveLength(n);
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('MultiPolygon');
      expect(f.properties.kind).toBe(level);
      expect(f.properties.label).toHaveLength(2);
    }
  });

  it('without level returns the whole hierarchy with parent codes', async () => {
    const fc = (await api('/api/regions')).json() as RegionCollection;
    expect(fc.features).toHaveLength(1 + 21 + 373);
    const niushan = fc.features.find((f) => f.properties.name === '牛山街道');
    expect(niushan?.properties).toMatchObject({ code: '320722001', kind: 'township', parentCode: '320722' });
    const villages = fc.features.filter((f) => f.properties.parentCode === '320722001');
    expect(villages.length).toBeGreaterThan(0);
  });

  it('rejects an unknown level with a 400 naming the field', async () => {
    const res = await api('/api/regions?level=province');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, field: 'level' });
  });
});

describe('GET /api/grids', () => {
  it('returns all 1,076 grids with village, township and worker count', async () => {
    const res = await api('/api/grids');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/geo\+json/);
    const fc = res.json() as GridCollection;
    expect(fc.features).toHaveLength(1076);
    const codes = new Set(fc.features.map((f) => f.properties.code));
    expect(codes.size).toBe(1076);
    let workers = 0;
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('Polygon');
      expect(f.properties.code.startsWith(f.properties.villageCode + '-')).toBe(true);
      expect(f.properties.villageCode.startsWith(f.properties.townshipCode)).toBe(true);
      expect(['urban', 'rural']).toContain(f.properties.kind);
      expect(f.properties.workerCount).toBeGreaterThanOrEqual(1);
      workers += f.properties.workerCount;
    }
    const { rows: [{ n }] } = await db.pool.query('SELECT count(*)::int AS n FROM workers WHERE active');
    expect(workers).toBe(n);
  });

  it('matches the database row for row', async () => {
    const { rows } = await db.pool.query(`SELECT g.code, v.name AS village, count(w.id)::int AS workers
      FROM grids g JOIN regions v ON v.id = g.village_id LEFT JOIN workers w ON w.grid_id = g.id AND w.active
      GROUP BY g.code, v.name`);
    const fc = (await api('/api/grids')).json() as GridCollection;
    const byCode = new Map(fc.features.map((f) => [f.properties.code, f.properties]));
    for (const r of rows) {
      expect(byCode.get(r.code)).toMatchObject({ villageName: r.village, workerCount: r.workers });
    }
  });

  it('is served precompressed with an ETag, and answers 304 when unchanged', async () => {
    const res = await api({ url: '/api/grids', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    const fc = JSON.parse(zlib.gunzipSync(res.rawPayload).toString());
    expect(fc.features).toHaveLength(1076);
    const etag = res.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await api({ url: '/api/grids', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('a write to grids makes the cached response stale', async () => {
    const before = (await api('/api/grids')).headers.etag;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE grids SET name = name || '*' WHERE code = (SELECT min(code) FROM grids)`);
      const res = await api('/api/grids');
      // the app reads through the pool; the uncommitted change is not visible yet
      expect(res.headers.etag).toBe(before);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    await db.pool.query(`UPDATE grids SET updated_at = updated_at WHERE code = (SELECT min(code) FROM grids)`);
    const after = await api('/api/grids');
    expect(after.statusCode).toBe(200);
    expect((after.json() as GridCollection).features).toHaveLength(1076);
  });

  it('topojson format decodes to the same grids', async () => {
    const { feature } = await import('topojson-client');
    const res = await api({ url: '/api/grids?format=topojson', headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(200);
    const topo = JSON.parse(zlib.brotliDecompressSync(res.rawPayload).toString());
    expect(topo.type).toBe('Topology');
    const fc = feature(topo, topo.objects.grids) as unknown as GridCollection;
    expect(fc.features).toHaveLength(1076);
    expect(fc.features[0].properties.code).toMatch(/^320722\d{6}-\d{2}$/);
  });

  it('filters by bbox', async () => {
    const all = (await api('/api/grids')).json() as GridCollection;
    const res = await api('/api/grids?bbox=118.74,34.50,118.78,34.54');
    expect(res.statusCode).toBe(200);
    const fc = res.json() as GridCollection;
    expect(fc.features.length).toBeGreaterThan(0);
    expect(fc.features.length).toBeLessThan(all.features.length);
    const { rows: [{ n }] } = await db.pool.query(`SELECT count(*)::int AS n FROM grids WHERE geom && ST_MakeEnvelope(118.74, 34.50, 118.78, 34.54, 4326)`);
    expect(fc.features).toHaveLength(n);
    const empty = (await api('/api/grids?bbox=100,10,100.1,10.1')).json() as GridCollection;
    expect(empty.features).toHaveLength(0);
  });

  it.each([
    ['1,2,3', /expected 4 comma-separated numbers/],
    ['a,34,119,35', /value 1 .* not a finite number/],
    ['118,34,,35', /value 3/],
    ['118,34,NaN,35', /not a finite number/],
    ['118,34,Infinity,35', /not a finite number/],
    ['-190,34,119,35', /minLon -190 is outside -180..180/],
    ['118,-91,119,35', /minLat -91 is outside -90..90/],
    ['119,34,118,35', /minLon 119 is greater than maxLon 118/],
    ['118,35,119,34', /minLat 35 is greater than maxLat 34/],
    ["118,34,119,35'; DROP TABLE grids;--", /not a finite number/],
  ])('bbox=%s is a 400 that says why', async (bbox, reason) => {
    const res = await api(`/api/grids?bbox=${encodeURIComponent(bbox)}`);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.field).toBe('bbox');
    expect(body.message).toMatch(reason);
    expect(JSON.stringify(body)).not.toMatch(/stack|SELECT|at .*\.ts/);
  });

  it('rejects an unknown format', async () => {
    const res = await api('/api/grids?format=shapefile');
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('format');
  });
});

describe('unknown routes', () => {
  it('are a JSON 404', async () => {
    const res = await api('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404 });
  });
});
