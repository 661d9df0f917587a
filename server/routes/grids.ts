// GET /api/grids — the 1,076 grid polygons with their village, township and worker count.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { topology } from 'topojson-server';
import { GridCollection, GridsQuery } from '../schemas/grids.js';
import { parseBBox } from '../http/bbox.js';
import { ResponseCache, revisionKey, sendCached, sendJsonText, passThroughSerializer } from '../http/cache.js';

// The whole FeatureCollection is built by PostGIS as one JSON text: no parse/serialise in Node.
// Coordinates at 6 decimals (~0.1 m) so shared borders stay shared after rounding.
export const GRIDS_SQL = `
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(s.f ORDER BY s.code), '[]'::json))::text AS body
FROM (
  SELECT g.code, json_build_object(
    'type', 'Feature',
    'id', g.id,
    'geometry', ST_AsGeoJSON(g.geom, 6)::json,
    'properties', json_build_object(
      'id', g.id, 'code', g.code, 'name', g.name, 'kind', g.kind,
      'villageCode', v.code, 'villageName', v.name,
      'townshipCode', t.code, 'townshipName', t.name,
      'workerCount', coalesce(w.n, 0), 'version', g.version)) AS f
  FROM grids g
  JOIN regions v ON v.id = g.village_id
  JOIN regions t ON t.id = v.parent_id
  LEFT JOIN (SELECT grid_id, count(*)::int AS n FROM workers WHERE active GROUP BY grid_id) w ON w.grid_id = g.id
  WHERE $1::float8 IS NULL OR g.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
) s`;

const gridsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new ResponseCache();

  app.get('/api/grids', {
    schema: {
      tags: ['grids'],
      summary: 'Grid polygons with village, township and worker count',
      querystring: GridsQuery,
      response: { 200: GridCollection },
    },
    // The body is produced by PostGIS already serialised; skip re-serialisation.
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    const { bbox, format = 'geojson' } = request.query;
    const box = bbox === undefined ? null : parseBBox(bbox);
    const params = box ?? [null, null, null, null];
    const load = async () => (await app.db.pool.query<{ body: string }>(GRIDS_SQL, params)).rows[0].body;

    if (box) {
      // Views of part of the county: built per request, compressed by @fastify/compress.
      const body = await load();
      if (format === 'topojson') return sendJsonText(reply, 'application/json', JSON.stringify(toTopology(body)));
      return sendJsonText(reply, 'application/geo+json', body);
    }
    const key = await revisionKey(app.db.pool, ['grids', 'regions', 'workers']);
    const cached = format === 'topojson'
      ? await cache.get('topojson', key, 'application/json', async () => JSON.stringify(toTopology(await load())))
      : await cache.get('geojson', key, 'application/geo+json', load);
    return sendCached(request, reply, cached);
  });
};

/** Shared borders stored once as arcs, delta-encoded and quantised to 1e5 steps of the extent (~1 m here). */
function toTopology(geojson: string) {
  return topology({ grids: JSON.parse(geojson) }, 1e5);
}

export default gridsRoutes;
