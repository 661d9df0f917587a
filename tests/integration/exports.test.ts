// GET /api/export/{layer}.{geojson|csv} and the GeoPackage of the grids with their history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { csvField } from '../../server/routes/exports.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;
const run = promisify(execFile);

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const n = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0].n as number;
const BBOX = [118.70, 34.48, 118.80, 34.56];

/** Minimal RFC 4180 parser for the checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\r') { /* CRLF */ } else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

describe('GeoJSON export', () => {
  it.each([
    ['grids', 'SELECT count(*)::int AS n FROM grids'],
    ['townships', `SELECT count(*)::int AS n FROM regions WHERE kind = 'township'`],
    ['villages', `SELECT count(*)::int AS n FROM regions WHERE kind = 'village'`],
    ['cameras', 'SELECT count(*)::int AS n FROM cameras'],
    ['incidents', `SELECT count(*)::int AS n FROM incidents WHERE reported_at >= now() - interval '30 days' AND reported_at < now()`],
  ])('%s: every feature, as an attachment', async (layer, sql) => {
    const res = await api(`/api/export/${layer}.geojson`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="${layer}-\\d{4}-\\d{2}-\\d{2}\\.geojson"`));
    const fc = res.json();
    expect(Math.abs(fc.features.length - await n(sql))).toBeLessThanOrEqual(layer === 'incidents' ? 2 : 0);
    expect(fc.features[0].properties.code).toBeTruthy();
  });

  it('only features in view with bbox; incidents in a from/to window', async () => {
    const fc = (await api(`/api/export/grids.geojson?bbox=${BBOX.join(',')}`)).json();
    expect(fc.features.length).toBe(await n('SELECT count(*)::int AS n FROM grids WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)', BBOX));
    const from = '2026-06-01T00:00:00Z';
    const to = '2026-06-15T00:00:00Z';
    const inc = (await api(`/api/export/incidents.geojson?from=${from}&to=${to}&bbox=${BBOX.join(',')}`)).json();
    const expected = await n('SELECT count(*)::int AS n FROM incidents WHERE reported_at >= $1 AND reported_at < $2 AND geom && ST_MakeEnvelope($3, $4, $5, $6, 4326)', [from, to, ...BBOX]);
    expect(expected).toBeGreaterThan(0);
    expect(inc.features.length).toBe(expected);
  });

  it('rejects bad requests naming the field', async () => {
    for (const [url, status, field] of [
      ['/api/export/grids.shp', 400, 'format'], ['/api/export/roads.csv', 404, 'layer'], ['/api/export/grids', 400, 'file'],
      ['/api/export/cameras.gpkg', 400, 'format'], ['/api/export/grids.csv?bbox=1,2', 400, 'bbox'],
      ['/api/export/grids.csv?from=2026-01-01T00:00:00Z', 400, 'from'], ['/api/export/incidents.csv?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 400, 'from'],
    ] as const) {
      const res = await api(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.json().field, url).toBe(field);
    }
  });
});

describe('CSV export', () => {
  it('cameras: UTF-8 with BOM, header, lon/lat columns, Chinese intact', async () => {
    const res = await api('/api/export/cameras.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual(['id', 'code', 'name', 'kind', 'status', 'heading', 'fov', 'rangeM', 'gridCode', 'installedAt', 'lon', 'lat']);
    expect(rows.length - 1).toBe(await n('SELECT count(*)::int AS n FROM cameras'));
    const { rows: [c] } = await db.pool.query('SELECT id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM cameras ORDER BY id LIMIT 1');
    expect(rows[1][0]).toBe(String(c.id));
    expect(rows[1][2]).toBe(c.name);
    expect(Number(rows[1][10])).toBeCloseTo(c.lon, 5);
    expect(Number(rows[1][11])).toBeCloseTo(c.lat, 5);
    expect(rows.slice(1).every((r) => r.length === rows[0].length)).toBe(true);
  });

  it('grids: WKT polygons; villages in view', async () => {
    const rows = parseCsv((await api('/api/export/grids.csv')).rawPayload.subarray(3).toString('utf8'));
    expect(rows[0].at(-1)).toBe('wkt');
    expect(rows).toHaveLength(1077);
    expect(rows[1].at(-1)).toMatch(/^POLYGON\(\(118\.\d+ 34\.\d+,/);
    const v = parseCsv((await api(`/api/export/villages.csv?bbox=${BBOX.join(',')}`)).rawPayload.subarray(3).toString('utf8'));
    expect(v.length - 1).toBe(await n(`SELECT count(*)::int AS n FROM regions WHERE kind = 'village' AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)`, BBOX));
    expect(v[1].at(-1)).toMatch(/^MULTIPOLYGON/);
  });

  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(-3)).toBe('-3');
  });
});

describe('GeoPackage of the grids with their history', () => {
  it('is readable by ogrinfo with the tables grids and grid_versions', async () => {
    const res = await api('/api/export/grids.gpkg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/geopackage+sqlite3');
    expect(res.rawPayload.subarray(0, 15).toString()).toBe('SQLite format 3');
    const file = path.join(os.tmpdir(), `gridcc-test-${process.pid}.gpkg`);
    await fs.writeFile(file, res.rawPayload);
    try {
      const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', file], { encoding: 'utf8' });
      const versions = await n('SELECT count(*)::int AS n FROM grid_versions');
      expect(stdout).toContain('Layer name: grids');
      expect(stdout).toContain('Layer name: grid_versions');
      const counts = [...stdout.matchAll(/Feature Count: (\d+)/g)].map((m) => Number(m[1]));
      expect(counts).toEqual([1076, versions]);
      expect(stdout).toMatch(/Geometry: Polygon/);
      expect(stdout).toMatch(/EPSG","4326"|WGS 84/);
      for (const col of ['valid_from: DateTime', 'valid_to: DateTime', 'changed_by: String', 'reason: String', 'township_name: String']) expect(stdout).toContain(col);
      const { rows: [g] } = await db.pool.query('SELECT id, code, name, ST_Area(geom) AS area FROM grids ORDER BY id LIMIT 1');
      const one = (await run('ogrinfo', ['-ro', '-q', file, '-sql', `SELECT code, name, ST_Area(geom) AS area FROM grids WHERE fid = ${g.id}`, '-dialect', 'SQLite'], { encoding: 'utf8' })).stdout;
      expect(one).toContain(g.code);
      expect(one).toContain(g.name);
      const area = Number(/area \(Real\) = ([\d.e-]+)/.exec(one)?.[1]);
      expect(area).toBeCloseTo(g.area, 9);
    } finally {
      await fs.rm(file, { force: true });
    }
  });
});
