// OGC API – Features Part 1 (Core) at /ogc: the standard's required responses, and GDAL's OAPIF
// driver (ogrinfo / ogr2ogr, which must be installed: gdal-bin) reading every collection completely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import SwaggerParser from '@apidevtools/swagger-parser';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { esc } from '../../server/ogc/html.js';
import { seededTestDatabase } from '../support/db.js';
import { userWithToken } from '../support/auth.js';

let db: Database;
let app: FastifyInstance;
let base: string;
/** GIS desktops send an API token as a bearer header */
let token: string;

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  token = (await userWithToken(db.pool)).token;
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

interface Link { href: string; rel: string; type?: string }
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
const json = async (path: string) => {
  const r = await get(path);
  expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
  return JSON.parse(r.text);
};
const rel = (links: Link[], name: string) => links.filter((l) => l.rel === name);
const count = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0].n as number;

const COUNTS = async () => ({
  grids: 1076, townships: 21, villages: 373,
  cameras: await count('SELECT count(*)::int AS n FROM cameras'),
  incidents: await count('SELECT count(*)::int AS n FROM incidents'),
});

describe('landing page, conformance, API definition', () => {
  it('links self, alternate, service-desc, service-doc, conformance and data', async () => {
    const body = await json('/ogc');
    expect(body.title).toBeTruthy();
    for (const r of ['self', 'alternate', 'service-desc', 'service-doc', 'conformance', 'data']) expect(rel(body.links, r), r).toHaveLength(1);
    expect(rel(body.links, 'service-desc')[0].type).toBe('application/vnd.oai.openapi+json;version=3.0');
    expect(rel(body.links, 'self')[0].type).toBe('application/json');
    for (const l of body.links as Link[]) expect(l.href.startsWith(base), l.href).toBe(true);
    const data = await json(rel(body.links, 'data')[0].href);
    expect(data.collections).toHaveLength(5);
  });

  it('declares core, geojson, oas30 and html conformance', async () => {
    const body = await json('/ogc/conformance');
    expect(body.conformsTo).toEqual(expect.arrayContaining(['core', 'geojson', 'oas30', 'html'].map((c) => `http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`)));
  });

  it('service-desc is a valid OpenAPI 3.0 document describing every OGC path', async () => {
    const r = await get('/ogc/api');
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/vnd.oai.openapi+json');
    const doc = JSON.parse(r.text);
    expect(doc.openapi).toMatch(/^3\.0\./);
    await SwaggerParser.validate(structuredClone(doc));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/{collectionId}', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}']));
    expect(doc.servers[0].url).toBe(`${base}/ogc`);
    expect(doc.components.parameters.limit.schema).toMatchObject({ minimum: 1, maximum: 10000, default: 10 });
  });
});

describe('collections', () => {
  it('lists grids, townships, villages, cameras and incidents with CRS84 extents and an items link', async () => {
    const body = await json('/ogc/collections');
    expect(rel(body.links, 'self')).toHaveLength(1);
    expect(body.collections.map((c: { id: string }) => c.id)).toEqual(['grids', 'townships', 'villages', 'cameras', 'incidents']);
    for (const c of body.collections) {
      expect(c.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      const [x0, y0, x1, y1] = c.extent.spatial.bbox[0];
      expect(x0).toBeGreaterThan(118); expect(x1).toBeLessThan(119.5); expect(y0).toBeGreaterThan(34); expect(y1).toBeLessThan(35);
      expect(x0).toBeLessThan(x1); expect(y0).toBeLessThan(y1);
      const items = rel(c.links, 'items').find((l: Link) => l.type === 'application/geo+json');
      expect(items?.href).toBe(`${base}/ogc/collections/${c.id}/items?f=json`);
      expect(c.itemType).toBe('feature');
    }
  });

  it('gives incidents a temporal extent from the first to the last report', async () => {
    const c = await json('/ogc/collections/incidents');
    const { rows: [r] } = await db.pool.query('SELECT min(reported_at) AS a, max(reported_at) AS b FROM incidents');
    expect(c.extent.temporal.interval).toEqual([[r.a.toISOString(), r.b.toISOString()]]);
    expect(c.extent.temporal.trs).toBe('http://www.opengis.net/def/uom/ISO-8601/0/Gregorian');
    expect(rel(c.links, 'self')).toHaveLength(1);
    expect((await json('/ogc/collections/grids')).extent.temporal).toBeUndefined();
  });

  it('404s an unknown collection, naming it', async () => {
    for (const path of ['/ogc/collections/roads', '/ogc/collections/roads/items', '/ogc/collections/roads/items/1']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.text)).toMatchObject({ field: 'collectionId' });
    }
  });
});

describe('items', () => {
  it('returns 10 features by default with numberMatched, numberReturned, timeStamp and links', async () => {
    const r = await get('/ogc/collections/grids/items');
    expect(r.type).toContain('application/geo+json');
    const fc = JSON.parse(r.text);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.numberMatched).toBe(1076);
    expect(fc.numberReturned).toBe(10);
    expect(fc.features).toHaveLength(10);
    expect(Date.now() - Date.parse(fc.timeStamp)).toBeLessThan(60_000);
    expect(rel(fc.links, 'self')[0].type).toBe('application/geo+json');
    expect(rel(fc.links, 'next')).toHaveLength(1);
    const f = fc.features[0];
    expect(f).toMatchObject({ type: 'Feature', geometry: { type: 'Polygon' } });
    expect(f.properties).toMatchObject({ code: expect.any(String), townshipName: expect.any(String) });
  });

  it.each([['grids', 500], ['townships', 7], ['villages', 100], ['cameras', 1000]] as const)('pages through every %s by next links (limit %i), stable and complete', async (id, limit) => {
    const expected = (await COUNTS())[id];
    const ids = new Set<number>();
    let url: string | undefined = `/ogc/collections/${id}/items?limit=${limit}`;
    let pages = 0;
    while (url) {
      const fc = await json(url);
      expect(fc.numberMatched).toBe(expected);
      expect(fc.numberReturned).toBe(fc.features.length);
      expect(fc.features.length).toBeLessThanOrEqual(limit);
      for (const f of fc.features) ids.add(f.id);
      url = rel(fc.links, 'next')[0]?.href;
      pages++;
    }
    expect(ids.size).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / limit));
  });

  it('accepts limit up to 10,000 and rejects bad parameters with a 400 naming them', async () => {
    const fc = await json('/ogc/collections/incidents/items?limit=10000');
    expect(fc.numberReturned).toBe(10000);
    for (const [q, field] of [['limit=0', 'limit'], ['limit=10001', 'limit'], ['limit=abc', 'limit'], ['offset=-1', 'offset'],
      ['bbox=1,2,3', 'bbox'], ['bbox=119,34,118,35', 'bbox'], ['datetime=yesterday', 'datetime'], ['datetime=2026-11-02/2026-11-01', 'datetime'],
      ['datetime=../..x', 'datetime'], ['colour=red', 'colour'], ['f=xml', 'f']] as const) {
      const r = await get(`/ogc/collections/incidents/items?${q}`);
      expect(r.status, q).toBe(400);
      expect(JSON.parse(r.text).field, q).toBe(field);
    }
  });

  it('filters by bbox (features whose geometry box meets it)', async () => {
    const bbox = [118.70, 34.48, 118.80, 34.56];
    const fc = await json(`/ogc/collections/grids/items?bbox=${bbox.join(',')}&limit=10000`);
    const n = await count('SELECT count(*)::int AS n FROM grids WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)', bbox);
    expect(n).toBeGreaterThan(20);
    expect(n).toBeLessThan(1076);
    expect(fc.numberMatched).toBe(n);
    expect(fc.features).toHaveLength(n);
    expect(rel(fc.links, 'next')).toHaveLength(0);
    const cams = await json(`/ogc/collections/cameras/items?bbox=${bbox.join(',')}&limit=10000`);
    for (const f of cams.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3]).toBe(true);
    }
    // 6-number bbox (with heights) is accepted too
    expect((await json(`/ogc/collections/grids/items?bbox=118.70,34.48,0,118.80,34.56,100`)).numberMatched).toBe(n);
  });

  it('filters incidents by datetime: interval, open ends, instant, date', async () => {
    const { rows: [r] } = await db.pool.query(`SELECT reported_at AS t FROM incidents ORDER BY id LIMIT 1 OFFSET 500`);
    const t: Date = r.t;
    const from = '2026-10-01T00:00:00Z';
    const to = '2026-10-08T00:00:00Z';
    const cases: Array<[string, string, unknown[]]> = [
      [`${from}/${to}`, 'reported_at >= $1 AND reported_at <= $2', [from, to]],
      [`${from}/..`, 'reported_at >= $1', [from]],
      [`../${to}`, 'reported_at <= $1', [to]],
      [`/${to}`, 'reported_at <= $1', [to]],
      ['2026-10-03', `reported_at >= $1 AND reported_at < $1::timestamptz + interval '1 day'`, ['2026-10-03T00:00:00Z']],
      [t.toISOString(), 'reported_at = $1', [t]],
    ];
    for (const [dt, where, params] of cases) {
      const n = await count(`SELECT count(*)::int AS n FROM incidents WHERE ${where}`, params);
      const fc = await json(`/ogc/collections/incidents/items?datetime=${encodeURIComponent(dt)}&limit=5`);
      expect(fc.numberMatched, dt).toBe(n);
      expect(n, dt).toBeGreaterThan(0);
      for (const f of fc.features) expect(Date.parse(f.properties.reportedAt) >= Date.parse(from) || !dt.startsWith(from)).toBe(true);
      const next = rel(fc.links, 'next')[0];
      if (n > 5) expect(new URL(next.href).searchParams.get('datetime')).toBe(dt);
    }
    expect((await json('/ogc/collections/incidents/items?datetime=../..')).numberMatched).toBe((await COUNTS()).incidents);
  });

  it('returns one feature by id, and 404 for an unknown id', async () => {
    const { rows: [g] } = await db.pool.query(`SELECT id, code FROM grids ORDER BY id LIMIT 1 OFFSET 7`);
    const f = await json(`/ogc/collections/grids/items/${g.id}`);
    expect(f).toMatchObject({ type: 'Feature', id: g.id, properties: { code: g.code }, geometry: { type: 'Polygon' } });
    expect(rel(f.links, 'self')).toHaveLength(1);
    expect(rel(f.links, 'collection')).toHaveLength(1);
    for (const id of ['999999', 'abc', '0', '1.5']) {
      const r = await get(`/ogc/collections/grids/items/${id}`);
      expect(r.status, id).toBe(404);
    }
    // a village id is not a township
    const { rows: [v] } = await db.pool.query(`SELECT id FROM regions WHERE kind = 'village' LIMIT 1`);
    expect((await get(`/ogc/collections/townships/items/${v.id}`)).status).toBe(404);
    expect((await json(`/ogc/collections/villages/items/${v.id}`)).id).toBe(v.id);
  });
});

describe('HTML for people', () => {
  it.each(['/ogc', '/ogc/conformance', '/ogc/collections', '/ogc/collections/grids', '/ogc/collections/grids/items', '/ogc/collections/incidents/items?limit=3'])('%s as HTML by f=html and by Accept', async (path) => {
    const byF = await get(`${path}${path.includes('?') ? '&' : '?'}f=html`);
    expect(byF.status).toBe(200);
    expect(byF.type).toContain('text/html');
    expect(byF.text).toMatch(/^<!doctype html>/);
    const byAccept = await get(path, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(byAccept.type).toContain('text/html');
    const jsonByAccept = await get(path, { accept: 'application/geo+json, application/json' });
    expect(jsonByAccept.type).toMatch(/json/);
  });

  it('shows the features with links to each, and the next page', async () => {
    const r = await get('/ogc/collections/grids/items?f=html&limit=5');
    expect(r.text).toContain('牛山街道');
    expect(r.text).toMatch(/href="\/ogc\/collections\/grids\/items\/\d+\?f=html"/);
    expect(r.text).toContain('offset=5&amp;f=html');
    const one = await get('/ogc/collections/grids/items/1?f=html');
    expect(one.text).toContain('<th>code</th>');
  });

  it('escapes every value', () => {
    expect(esc(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });
});

describe('GDAL OAPIF driver (gdal-bin must be installed)', () => {
  // Asynchronous: the server runs in this process, so a synchronous child would block it.
  const run = promisify(execFile);
  const ogr = async (cmd: string, args: string[]) =>
    (await run(cmd, ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${token}`, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })).stdout;

  it('ogrinfo is installed', async () => {
    await expect(ogr('ogrinfo', ['--version']), 'ogrinfo (gdal-bin) is required by this test: apt-get install gdal-bin').resolves.toMatch(/^GDAL/);
  });

  it('lists the collections with their geometry types', async () => {
    const out = await ogr('ogrinfo', ['-ro', '-so', `OAPIF:${base}/ogc`]);
    expect(out).toContain('1: grids');
    expect(out).toMatch(/grids .*\(Polygon\)/);
    expect(out).toMatch(/townships .*\(Multi Polygon\)/);
    expect(out).toMatch(/villages .*\(Multi Polygon\)/);
    expect(out).toMatch(/cameras .*\(Point\)/);
    expect(out).toMatch(/incidents .*\(Point\)/);
  });

  it('reports each collection\'s feature count and extent', async () => {
    const counts = await COUNTS();
    for (const [id, n] of Object.entries(counts)) {
      const out = await ogr('ogrinfo', ['-ro', '-al', '-so', `OAPIF:${base}/ogc`, id]);
      expect(out, id).toContain(`Feature Count: ${n}`);
      expect(out).toMatch(/Extent: \(118\.\d+, 34\.\d+\) - \(119\.\d+, 34\.\d+\)/);
    }
  });

  // Reads every feature through GDAL's own paging (next links). Grids, townships, villages and
  // cameras at GDAL's default page size (10: 108 pages for the grids); the 100,000 incidents with
  // PAGE_SIZE=1000 (100 pages; about 13 s here).
  it.each([['grids', []], ['townships', []], ['villages', []], ['cameras', []], ['incidents', ['-oo', 'PAGE_SIZE=1000']]] as const)('ogr2ogr reads every feature of %s', async (id, oo) => {
    const expected = (await COUNTS())[id];
    const out = await ogr('ogr2ogr', ['-f', 'GeoJSONSeq', '/vsistdout/', ...oo, `OAPIF:${base}/ogc`, id]);
    const lines = out.split('\n').filter((l) => l.trim().startsWith('{'));
    expect(lines).toHaveLength(expected);
    const codes = new Set(lines.map((l) => JSON.parse(l.replace(/^\x1e/, '')).properties.code));
    expect(codes.size).toBe(expected);
  }, 120_000);
});
