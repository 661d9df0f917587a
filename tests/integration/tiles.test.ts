// Vector tiles: decoded with @mapbox/vector-tile and checked against the database; the PostGIS
// (ST_AsMVT) and JavaScript encoders give the same features; the cache follows grid edits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { TILE_LAYERS } from '../../server/tiles/layers.js';
import { detectEncoder, renderTile } from '../../server/tiles/render.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';

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

export function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}
const SEAT = [118.76, 34.52] as const;
// tiles carry a 64-unit buffer around the 4096-unit tile
const BUFFERED = 'ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)';
const decode = (buf: Buffer | Uint8Array) => new VectorTile(new PbfReader(buf));
const features = (tile: VectorTile, layer: string): VectorTileFeature[] => {
  const l = tile.layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : [];
};
const inject = (url: string, headers: Record<string, string> = {}) => api({ url, headers });

describe('GET /tiles/{layer}/{z}/{x}/{y}.mvt', () => {
  it('grids tile at the county seat holds the grids whose boxes meet the tile, with names', async () => {
    const [z, x, y] = tileOf(SEAT[0], SEAT[1], 14);
    const res = await inject(`/tiles/grids/${z}/${x}/${y}.mvt`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const fs = features(decode(res.rawPayload), 'grids');
    const { rows } = await db.pool.query(`SELECT g.id, g.code, g.name FROM grids g
      WHERE ST_Intersects(ST_Transform(g.geom, 3857), ST_TileEnvelope($1, $2, $3)) ORDER BY g.id`, [z, x, y]);
    expect(rows.length).toBeGreaterThan(0);
    const ids = new Set(fs.map((f) => Number(f.id)));
    for (const r of rows) expect(ids.has(r.id), r.code).toBe(true);
    for (const f of fs) {
      expect(f.type).toBe(3);
      expect(f.properties).toMatchObject({ code: expect.any(String), name: expect.any(String), township: expect.any(String) });
      expect(f.properties.id).toBeUndefined();
    }
    expect(fs.find((f) => f.properties.township === '牛山街道')).toBeTruthy();
  });

  it('regions tile has townships and villages layers; cameras and incidents tiles have points', async () => {
    const [z, x, y] = tileOf(SEAT[0], SEAT[1], 10);
    const regions = decode((await inject(`/tiles/regions/${z}/${x}/${y}.mvt`)).rawPayload);
    expect(features(regions, 'townships').map((f) => f.properties.name)).toContain('牛山街道');
    expect(features(regions, 'villages').length).toBeGreaterThan(10);
    const cams = features(decode((await inject(`/tiles/cameras/${z}/${x}/${y}.mvt`)).rawPayload), 'cameras');
    const nCams = (await db.pool.query(`SELECT count(*)::int AS n FROM cameras WHERE ST_Intersects(ST_Transform(geom, 3857), ${BUFFERED})`, [z, x, y])).rows[0].n;
    expect(cams.length).toBe(nCams);
    expect(cams[0].type).toBe(1);
    expect(cams[0].properties).toMatchObject({ kind: expect.stringMatching(/xueliang|cuncuntong|public/), heading: expect.any(Number) });
    const inc = features(decode((await inject(`/tiles/incidents/${z}/${x}/${y}.mvt`)).rawPayload), 'incidents');
    const nInc = (await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE reported_at > now() - interval '30 days' AND reported_at <= now() + interval '1 minute'
      AND ST_Intersects(ST_Transform(geom, 3857), ${BUFFERED})`, [z, x, y])).rows[0].n;
    expect(Math.abs(inc.length - nInc)).toBeLessThanOrEqual(2); // a report may land on the 30-day edge between the two queries
    expect(inc[0].properties).toMatchObject({ category: expect.any(String), priority: expect.any(Number), reported_at: expect.stringMatching(/Z$/) });
  });

  it('incidents take a datetime window', async () => {
    const [z, x, y] = tileOf(SEAT[0], SEAT[1], 10);
    const dt = '2026-06-01T00:00:00Z/2026-06-08T00:00:00Z';
    const res = await inject(`/tiles/incidents/${z}/${x}/${y}.mvt?datetime=${encodeURIComponent(dt)}`);
    const inc = features(decode(res.rawPayload), 'incidents');
    const n = (await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE reported_at >= '2026-06-01T00:00:00Z' AND reported_at <= '2026-06-08T00:00:00Z'
      AND ST_Intersects(ST_Transform(geom, 3857), ${BUFFERED})`, [z, x, y])).rows[0].n;
    expect(n).toBeGreaterThan(0);
    expect(inc.length).toBe(n);
    for (const f of inc) expect(String(f.properties.reported_at) >= '2026-06-01').toBe(true);
    expect((await inject(`/tiles/incidents/${z}/${x}/${y}.mvt?datetime=soon`)).json()).toMatchObject({ statusCode: 400, field: 'datetime' });
    expect((await inject(`/tiles/grids/${z}/${x}/${y}.mvt?datetime=2026-01-01`)).json()).toMatchObject({ statusCode: 400, field: 'datetime' });
  });

  it('an empty tile is a 204', async () => {
    for (const l of Object.keys(TILE_LAYERS)) expect((await inject(`/tiles/${l}/5/0/0.mvt`)).statusCode, l).toBe(204);
  });

  it('validates z, x and y with a 400 naming the field; unknown layer 404', async () => {
    for (const [path, field] of [['23/0/0', 'z'], ['-1/0/0', 'z'], ['a/0/0', 'z'], ['2/4/0', 'x'], ['2/0/4', 'y'], ['2/0/1.5', 'y'], ['0/0/x', 'y']] as const) {
      const res = await inject(`/tiles/grids/${path}.mvt`);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().field, path).toBe(field);
    }
    expect((await inject('/tiles/roads/0/0/0.mvt')).statusCode).toBe(404);
    expect((await inject('/tiles/grids/0/0/0.png')).statusCode).toBe(404);
  });

  it('gzips when asked and answers If-None-Match with 304', async () => {
    const [z, x, y] = tileOf(SEAT[0], SEAT[1], 10);
    const url = `/tiles/grids/${z}/${x}/${y}.mvt`;
    const plain = await inject(url);
    const gz = await inject(url, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect((await inject(url, { 'if-none-match': String(plain.headers.etag) })).statusCode).toBe(304);
  });
});

describe('TileJSON', () => {
  it.each(Object.keys(TILE_LAYERS))('/tiles/%s.json', async (layer) => {
    const res = await inject(`/tiles/${layer}.json`);
    expect(res.statusCode).toBe(200);
    const tj = res.json();
    expect(tj).toMatchObject({ tilejson: '3.0.0', name: layer, minzoom: 0, maxzoom: 22, scheme: 'xyz' });
    expect(tj.tiles[0]).toMatch(new RegExp(`/tiles/${layer}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt$`));
    expect(tj.bounds[0]).toBeGreaterThan(118); expect(tj.bounds[2]).toBeLessThan(119.5);
    expect(tj.vector_layers.map((l: { id: string }) => l.id)).toEqual(TILE_LAYERS[layer].layers.map((l) => l.name));
  });
});

describe('PostGIS ST_AsMVT and the JavaScript encoder', () => {
  it('this database has protobuf: ST_AsMVT is detected', async () => {
    expect(await detectEncoder(db.pool)).toBe('postgis');
  });

  // Ids and properties are identical, points exactly. Polygons: both pipelines scale, snap to integer
  // tile units and drop points on straight lines; PostGIS then clips and repairs with Wagyu, the JS
  // path with GEOS (ST_ClipByBox2D, ST_MakeValid), which settle a few snapped slivers differently.
  // Measured as the distance from every vertex of one to the nearest edge of the other (both ways):
  // 1-10 % of polygon features (2 of 20 at z15) have a vertex more than 1.5 units off, the farthest 4 units of 4,096
  // (z10-z15); areas above 5,000 units² agree within 3 %. The test holds those bounds.
  const WORST = 4.5;
  const cases: Array<[string, number]> = [['grids', 10], ['grids', 12], ['grids', 15], ['regions', 10], ['regions', 13], ['cameras', 12], ['cameras', 15], ['incidents', 13]];
  it.each(cases)('%s at z%i: same feature ids and properties, same geometry within a tile unit or so', async (layerId, zoom) => {
    const layer = TILE_LAYERS[layerId];
    const [z, x, y] = tileOf(SEAT[0], SEAT[1], zoom);
    const t = { z, x, y, start: new Date(Date.now() - 30 * 86_400_000), end: new Date() };
    const [a, b] = await Promise.all([renderTile(db.pool, layer, t, 'postgis'), renderTile(db.pool, layer, t, 'js')]);
    const ta = decode(a);
    const tb = decode(b);
    expect(Object.keys(tb.layers).sort()).toEqual(Object.keys(ta.layers).sort());
    let total = 0;
    let off = 0;
    let worst = 0;
    for (const name of Object.keys(ta.layers)) {
      const fa = new Map(features(ta, name).map((f) => [Number(f.id), f]));
      const fb = new Map(features(tb, name).map((f) => [Number(f.id), f]));
      expect(fa.size).toBeGreaterThan(0);
      expect([...fb.keys()].sort((p, q) => p - q)).toEqual([...fa.keys()].sort((p, q) => p - q));
      for (const [id, f] of fa) {
        const g = fb.get(id)!;
        expect(g.properties, `${name} ${id}`).toEqual(f.properties);
        expect(g.type).toBe(f.type);
        // every vertex of one inside the visible tile has a vertex of the other within this distance
        const inside = (feat: VectorTileFeature) => feat.loadGeometry().flat().filter((p) => p.x >= 0 && p.y >= 0 && p.x <= 4096 && p.y <= 4096);
        const [va, vb] = [inside(f), inside(g)];
        // distance from each vertex of one to the nearest edge (or point) of the other: the two
        // boundaries' Hausdorff distance, limited to the visible tile
        const edges = (feat: VectorTileFeature) => feat.loadGeometry().flatMap((ring) => ring.map((p, i) => [p, ring[(i + 1) % ring.length]] as const));
        const toEdge = (p: { x: number; y: number }, [a, b]: readonly [{ x: number; y: number }, { x: number; y: number }]) => {
          const dx = b.x - a.x; const dy = b.y - a.y;
          const len2 = dx * dx + dy * dy;
          const t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
          return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
        };
        const reach = (from: typeof va, to: VectorTileFeature) => {
          const es = edges(to);
          return Math.max(0, ...from.map((p) => Math.min(Infinity, ...es.map((e) => toEdge(p, e)))));
        };
        const d = va.length && vb.length ? Math.max(reach(va, g), reach(vb, f)) : 0;
        total++;
        if (d > 1.5) off++;
        worst = Math.max(worst, d);
        if (f.type === 1) expect(d).toBe(0);
        if (f.type === 3) {
          const area = (feat: VectorTileFeature) => feat.loadGeometry().reduce((s, ring) => s + ring.reduce((t2, p, i) => {
            const q = ring[(i + 1) % ring.length];
            return t2 + (p.x * q.y - q.x * p.y) / 2;
          }, 0), 0);
          const [aa, ab] = [area(f), area(g)];
          expect(aa, 'MVT winding: exterior rings have positive area').toBeGreaterThan(0);
          expect(ab, 'MVT winding (JS encoder)').toBeGreaterThan(0);
          if (aa > 5000) expect(Math.abs(aa - ab) / aa, `${name} ${id} area`).toBeLessThan(0.03);
        }
      }
    }
    console.log(`${layerId} z${zoom}: ${total} features, ${off} with a vertex more than 1.5 units from the other encoder's edges; farthest ${worst.toFixed(1)}`);
    expect(off / total).toBeLessThanOrEqual(0.1);
    expect(worst).toBeLessThanOrEqual(WORST);
  });
});

describe('tile cache', () => {
  it('an UPDATE of grids shows in the next tile at once (cache keyed by the data revision)', async () => {
    const [z, x, y] = tileOf(SEAT[0], SEAT[1], 15);
    const url = `/tiles/grids/${z}/${x}/${y}.mvt`;
    const first = await inject(url);
    const f = features(decode(first.rawPayload), 'grids')[0];
    const id = Number(f.id);
    const { rows: [orig] } = await db.pool.query('SELECT name FROM grids WHERE id = $1', [id]);
    expect(f.properties.name).toBe(orig.name);
    const again = await inject(url);
    expect(again.headers.etag).toBe(first.headers.etag);
    try {
      await db.pool.query(`UPDATE grids SET name = name || '（测试改名）' WHERE id = $1`, [id]);
      const after = await inject(url);
      expect(after.headers.etag).not.toBe(first.headers.etag);
      const g = features(decode(after.rawPayload), 'grids').find((h) => Number(h.id) === id)!;
      expect(g.properties.name).toBe(`${orig.name}（测试改名）`);
    } finally {
      await db.pool.query('UPDATE grids SET name = $2 WHERE id = $1', [id, orig.name]);
    }
    const restored = features(decode((await inject(url)).rawPayload), 'grids').find((h) => Number(h.id) === id)!;
    expect(restored.properties.name).toBe(orig.name);
  });
});
