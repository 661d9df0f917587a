// Downloads of any layer in view: GET /api/export/{layer}.geojson|csv?bbox= for grids, townships,
// villages, cameras and incidents (incidents in a time window), and the grid coverage with its whole
// history as a GeoPackage: GET /api/export/grids.gpkg (tables grids and grid_versions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest, HttpError } from '../http/errors.js';
import { parseBBox } from '../http/bbox.js';
import { timeWindow } from '../domain/incidentFilter.js';
import { COLLECTIONS, filterWhere, findCollection, propertiesJson, type OgcCollection } from '../ogc/collections.js';
import { writeGeoPackage, type GpkgTable } from '../ogc/gpkg.js';
import { passThroughSerializer } from '../http/cache.js';

const FORMATS = ['geojson', 'csv', 'gpkg'] as const;
const BOM = '\uFEFF';

/** RFC 4180 field: quoted when it holds a comma, quote, CR/LF; a leading =+-@ is prefixed so spreadsheets do not run it as a formula. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function geojsonSql(c: OgcCollection, where: string): string {
  return `
SELECT json_build_object('type', 'FeatureCollection', 'name', '${c.id}', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', o.id, 'geometry', ST_AsGeoJSON(o.geom, 6)::json, 'properties', ${propertiesJson(c)}) ORDER BY o.id), '[]'::json))::text AS body
FROM ${c.from} WHERE ${where}`;
}

function csvSql(c: OgcCollection, where: string): string {
  const geom = c.geometryType === 'Point'
    ? `round(ST_X(o.geom)::numeric, 6) AS lon, round(ST_Y(o.geom)::numeric, 6) AS lat`
    : `ST_AsText(o.geom, 6) AS wkt`;
  return `SELECT o.id, ${c.properties.map(([k, e]) => `${e} AS "${k}"`).join(', ')}, ${geom} FROM ${c.from} WHERE ${where} ORDER BY o.id`;
}

const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/export/:file', {
    schema: {
      tags: ['map'],
      summary: 'Download a layer: GeoJSON or CSV (UTF-8 with BOM; lon/lat or WKT), or the grids with their history as GeoPackage',
      description: `file = {layer}.{format}; layers: ${COLLECTIONS.map((c) => c.id).join(', ')}; formats: geojson, csv, and gpkg for grids only (tables grids and grid_versions).`,
      params: Type.Object({ file: Type.String({ description: '{layer}.{geojson|csv|gpkg}', examples: ['grids.geojson', 'incidents.csv', 'grids.gpkg'] }) }),
      querystring: Type.Object({
        bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat: only features in view', examples: ['118.70,34.48,118.80,34.56'] })),
        from: Type.Optional(Type.String({ format: 'date-time', description: 'incidents: reported at or after (default: 30 days before `to`)' })),
        to: Type.Optional(Type.String({ format: 'date-time', description: 'incidents: reported before (default: now)' })),
      }),
      response: { 200: Type.Unknown({ description: 'application/geo+json, text/csv or application/geopackage+sqlite3, as an attachment' }) },
    },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    const m = /^([a-z_]+)\.([a-z]+)$/.exec(request.params.file);
    if (!m) throw badRequest('file', `expected {layer}.{format}, e.g. grids.geojson`);
    const c = findCollection(m[1]);
    if (!c) throw new HttpError(404, `layer ${m[1]} not found; layers: ${COLLECTIONS.map((x) => x.id).join(', ')}`, 'layer');
    const format = m[2] as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw badRequest('format', `"${m[2]}" is not one of ${FORMATS.join(', ')}`);
    const q = request.query;
    const stamp = new Date().toISOString().slice(0, 10);
    const attachment = (ext: string) => reply.header('Content-Disposition', `attachment; filename="${c.id}-${stamp}.${ext}"`);

    if (format === 'gpkg') {
      if (c.id !== 'grids') throw badRequest('format', 'GeoPackage export is for grids (with their history) only');
      if (q.bbox !== undefined || q.from !== undefined || q.to !== undefined) throw badRequest('bbox', 'the GeoPackage holds the whole coverage; no filters');
      attachment('gpkg').type('application/geopackage+sqlite3');
      return reply.send(await gridsGeoPackage());
    }
    if (c.id !== 'incidents' && (q.from !== undefined || q.to !== undefined)) throw badRequest(q.from !== undefined ? 'from' : 'to', `layer ${c.id} has no time`);
    const bbox = q.bbox === undefined ? null : parseBBox(q.bbox);
    const win = c.temporal ? timeWindow(q, 30) : null;
    const params: unknown[] = [];
    const where = filterWhere(c, { bbox, start: win?.from, end: win?.to }, params);
    if (format === 'geojson') {
      const { rows } = await app.db.pool.query<{ body: string }>(geojsonSql(c, where), params);
      attachment('geojson').type('application/geo+json');
      return reply.send(rows[0].body);
    }
    const { rows, fields } = await app.db.pool.query(csvSql(c, where), params);
    const names = fields.map((f) => f.name);
    const lines = [names.map(csvField).join(',')];
    for (const r of rows) lines.push(names.map((n) => csvField(r[n])).join(','));
    attachment('csv').type('text/csv; charset=utf-8');
    return reply.send(BOM + lines.join('\r\n') + '\r\n');
  });

  async function gridsGeoPackage(): Promise<Buffer> {
    const env = `ST_XMin(o.geom) AS x0, ST_XMax(o.geom) AS x1, ST_YMin(o.geom) AS y0, ST_YMax(o.geom) AS y1, ST_AsBinary(o.geom, 'NDR') AS wkb`;
    const [grids, versions] = await Promise.all([
      app.db.pool.query(`
        SELECT o.id, ${env}, o.code, o.name, o.kind, v.code AS village_code, v.name AS village_name, t.code AS township_code, t.name AS township_name,
               o.version, o.created_at, o.updated_at
        FROM grids o JOIN regions v ON v.id = o.village_id JOIN regions t ON t.id = v.parent_id ORDER BY o.id`),
      app.db.pool.query(`
        SELECT o.id, ${env}, o.grid_id, o.version, o.code, o.name, o.kind, v.code AS village_code,
               o.valid_from, o.valid_to, o.changed_by, o.reason
        FROM grid_versions o JOIN regions v ON v.id = o.village_id ORDER BY o.grid_id, o.version`),
    ]);
    const table = (name: string, description: string, rows: Array<Record<string, unknown>>, columns: GpkgTable['columns']): GpkgTable => ({
      name, description, geometryType: 'POLYGON', columns,
      rows: rows.map((r) => ({ id: Number(r.id), wkb: r.wkb as Buffer, env: [r.x0, r.x1, r.y0, r.y1] as [number, number, number, number], values: columns.map((col) => r[col.name]) })),
    });
    return writeGeoPackage([
      table('grids', 'Current grid coverage', grids.rows, [
        { name: 'code', type: 'TEXT' }, { name: 'name', type: 'TEXT' }, { name: 'kind', type: 'TEXT' },
        { name: 'village_code', type: 'TEXT' }, { name: 'village_name', type: 'TEXT' }, { name: 'township_code', type: 'TEXT' }, { name: 'township_name', type: 'TEXT' },
        { name: 'version', type: 'INTEGER' }, { name: 'created_at', type: 'DATETIME' }, { name: 'updated_at', type: 'DATETIME' },
      ]),
      table('grid_versions', 'Every version of every grid; valid_to empty = current', versions.rows, [
        { name: 'grid_id', type: 'INTEGER' }, { name: 'version', type: 'INTEGER' }, { name: 'code', type: 'TEXT' }, { name: 'name', type: 'TEXT' },
        { name: 'kind', type: 'TEXT' }, { name: 'village_code', type: 'TEXT' },
        { name: 'valid_from', type: 'DATETIME' }, { name: 'valid_to', type: 'DATETIME' }, { name: 'changed_by', type: 'TEXT' }, { name: 'reason', type: 'TEXT' },
      ]),
    ]);
  }
};

export default exportsRoutes;
